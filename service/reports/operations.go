package reports

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/workorders/sla"
	"github.com/atrium-mall/atrium/storage"
)

// The operational reports below read their owner's aggregated read of the period
// (bookings' MallUtilisation, work orders' MallSLA, meters' MallUnitMeters): each is
// bounded by the period's slots, orders or readings, never the owner's history, and
// reads through the owner's db.Reader, so it is served by the read replica when one
// is configured.

// UtilisationRow is one resource's booking utilisation over one day or month (预约利用率).
type UtilisationRow struct {
	Period     string // the day (YYYY-MM-DD) or month (YYYY-MM)
	ResourceID uuid.UUID
	Resource   string
	Slots      int64
	Capacity   int64
	Booked     int64
	CheckedIn  int64
}

// BookedPercent is booked ÷ capacity in percent (nil without capacity).
func (r UtilisationRow) BookedPercent() *float64 { return percent(r.Booked, r.Capacity) }

// CheckedInPercent is checked in ÷ capacity in percent (nil without capacity).
func (r UtilisationRow) CheckedInPercent() *float64 { return percent(r.CheckedIn, r.Capacity) }

func percent(n, of int64) *float64 {
	if of <= 0 {
		return nil
	}
	v := float64(n) * 100 / float64(of)
	return &v
}

// BookingsReport is the booking utilisation of a mall's resources: per resource and
// month, then per resource and day.
type BookingsReport struct {
	Range  Range
	Months []UtilisationRow // per month and resource
	Days   []UtilisationRow // per day and resource
	Read   storage.ReadSource
}

// Bookings is the booking utilisation of a mall over a range (admin, finance, member
// operations of the mall): seats offered, booked and checked in per resource and day
// and per resource and month, by the slots' start in the mall's time zone.
func (s *Service) Bookings(ctx context.Context, mallID uuid.UUID, r Range) (BookingsReport, error) {
	rep := BookingsReport{Range: r}
	if err := r.check(); err != nil {
		return rep, err
	}
	p, err := s.mallFor(ctx, mallID, memberRoles...)
	if err != nil {
		return rep, err
	}
	if ctx, rep.Read, err = s.replica(ctx); err != nil {
		return rep, err
	}
	days, err := s.bookings.MallUtilisation(ctx, mallID, r.From.Start(p.Loc), r.To.Next().Start(p.Loc), p.Loc)
	if err != nil {
		return rep, err
	}
	type key struct {
		month string
		id    uuid.UUID
	}
	at := map[key]int{}
	for _, d := range days {
		row := UtilisationRow{Period: d.Day.Format(time.DateOnly), ResourceID: d.ResourceID, Resource: d.Resource,
			Slots: d.Slots, Capacity: d.Capacity, Booked: d.Booked, CheckedIn: d.CheckedIn}
		rep.Days = append(rep.Days, row)
		k := key{MonthOf(d.Day).String(), d.ResourceID}
		i, ok := at[k]
		if !ok {
			i = len(rep.Months)
			at[k] = i
			rep.Months = append(rep.Months, UtilisationRow{Period: k.month, ResourceID: d.ResourceID, Resource: d.Resource})
		}
		m := &rep.Months[i]
		m.Slots, m.Capacity, m.Booked, m.CheckedIn = m.Slots+d.Slots, m.Capacity+d.Capacity, m.Booked+d.Booked,
			m.CheckedIn+d.CheckedIn
	}
	byPeriod := func(a, b UtilisationRow) int {
		if a.Period != b.Period {
			return cmpString(a.Period, b.Period)
		}
		if a.Resource != b.Resource {
			return cmpString(a.Resource, b.Resource)
		}
		return cmpString(a.ResourceID.String(), b.ResourceID.String())
	}
	slices.SortFunc(rep.Months, byPeriod)
	slices.SortFunc(rep.Days, byPeriod)
	return rep, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Table is the report as a table: the month rows, then the day rows.
func (r BookingsReport) Table() Table {
	t := Table{Name: "booking_utilisation", Read: r.Read, Columns: []Column{{"by", "维度", KindText},
		{"period", "日期", KindText}, {"resource", "资源", KindText}, {"slots", "时段数", KindInt},
		{"capacity", "可约名额", KindInt}, {"booked", "已预约", KindInt}, {"checkedIn", "已签到", KindInt},
		{"bookedPercent", "预约率", KindPercent}, {"checkedInPercent", "签到率", KindPercent}}}
	for _, set := range []struct {
		by   string
		rows []UtilisationRow
	}{{"month", r.Months}, {"day", r.Days}} {
		for _, x := range set.rows {
			t.Rows = append(t.Rows, []any{set.by, x.Period, x.Resource, x.Slots, x.Capacity, x.Booked, x.CheckedIn,
				x.BookedPercent(), x.CheckedInPercent()})
		}
	}
	t.Summary = summarize("每月预约", r.Months, func(x UtilisationRow) (string, bool) { return x.Period, true },
		[]SummarySeries{{Name: "可约名额", Kind: KindInt}, {Name: "已预约", Kind: KindInt}, {Name: "已签到", Kind: KindInt}},
		func(x UtilisationRow) []decimal.Decimal {
			return []decimal.Decimal{dec(x.Capacity), dec(x.Booked), dec(x.CheckedIn)}
		})
	return t
}

// SLARow is the SLA compliance of one month, category and priority (工单时效).
type SLARow struct {
	Month             Month
	Category          string
	Priority          string
	Orders            int64
	ResponseMet       int64
	ResponseBreached  int64
	ResolutionMet     int64
	ResolutionBreach  int64
	ResolutionRunning int64 // still open within its target (neither met nor breached yet)
}

// ResponsePercent is met ÷ (met + breached) in percent (nil when none is decided).
func (r SLARow) ResponsePercent() *float64 {
	return percent(r.ResponseMet, r.ResponseMet+r.ResponseBreached)
}

// ResolutionPercent is met ÷ (met + breached) in percent (nil when none is decided).
func (r SLARow) ResolutionPercent() *float64 {
	return percent(r.ResolutionMet, r.ResolutionMet+r.ResolutionBreach)
}

// SLAReport is the work-order SLA compliance of a mall per month, category and priority.
type SLAReport struct {
	Range Range
	Rows  []SLARow
	Read  storage.ReadSource
}

// WorkOrderSLA is the SLA compliance of a mall's work orders opened in a range (admin,
// finance, maintenance, supervisors of the mall): per month opened, category and
// priority as raised, how many met or breached their response and resolution targets
// (each clock read now, by work orders' own SLA rules and the mall's calendar).
func (s *Service) WorkOrderSLA(ctx context.Context, mallID uuid.UUID, r Range) (SLAReport, error) {
	rep := SLAReport{Range: r}
	if err := r.check(); err != nil {
		return rep, err
	}
	p, err := s.mallFor(ctx, mallID, propertyRoles...)
	if err != nil {
		return rep, err
	}
	if ctx, rep.Read, err = s.replica(ctx); err != nil {
		return rep, err
	}
	outs, err := s.workorders.MallSLA(ctx, mallID, r.From.Start(p.Loc), r.To.Next().Start(p.Loc))
	if err != nil {
		return rep, err
	}
	type key struct {
		m        Month
		cat, pri string
	}
	at := map[key]int{}
	for _, o := range outs {
		k := key{MonthOf(o.OpenedAt.In(p.Loc)), o.Category, string(o.Priority)}
		i, ok := at[k]
		if !ok {
			i = len(rep.Rows)
			at[k] = i
			rep.Rows = append(rep.Rows, SLARow{Month: k.m, Category: k.cat, Priority: k.pri})
		}
		row := &rep.Rows[i]
		row.Orders++
		switch o.Response {
		case sla.Met:
			row.ResponseMet++
		case sla.Breached:
			row.ResponseBreached++
		}
		switch o.Resolution {
		case sla.Met:
			row.ResolutionMet++
		case sla.Breached:
			row.ResolutionBreach++
		default:
			row.ResolutionRunning++
		}
	}
	rank := map[string]int{"URGENT": 0, "NORMAL": 1, "LOW": 2}
	slices.SortFunc(rep.Rows, func(a, b SLARow) int {
		if a.Month != b.Month {
			return a.Month.index() - b.Month.index()
		}
		if a.Category != b.Category {
			return cmpString(a.Category, b.Category)
		}
		return rank[a.Priority] - rank[b.Priority]
	})
	return rep, nil
}

// Table is the report as a table.
func (r SLAReport) Table() Table {
	t := Table{Name: "workorder_sla", Read: r.Read, Columns: []Column{{"month", "月份", KindMonth},
		{"category", "类别", KindText}, {"priority", "优先级", KindText}, {"orders", "工单数", KindInt},
		{"responseMet", "响应达标", KindInt}, {"responseBreached", "响应超时", KindInt},
		{"responsePercent", "响应达标率", KindPercent}, {"resolutionMet", "解决达标", KindInt},
		{"resolutionBreached", "解决超时", KindInt}, {"resolutionOpen", "处理中", KindInt},
		{"resolutionPercent", "解决达标率", KindPercent}}}
	for _, x := range r.Rows {
		t.Rows = append(t.Rows, []any{x.Month.String(), x.Category, x.Priority, x.Orders, x.ResponseMet,
			x.ResponseBreached, x.ResponsePercent(), x.ResolutionMet, x.ResolutionBreach, x.ResolutionRunning,
			x.ResolutionPercent()})
	}
	t.Summary = summarize("每月工单时效", r.Rows, func(x SLARow) (string, bool) { return x.Month.String(), true },
		[]SummarySeries{{Name: "工单数", Kind: KindInt}, {Name: "响应达标", Kind: KindInt}, {Name: "解决达标", Kind: KindInt}},
		func(x SLARow) []decimal.Decimal {
			return []decimal.Decimal{dec(x.Orders), dec(x.ResponseMet), dec(x.ResolutionMet)}
		})
	return t
}

// MeterKinds are the kinds of meters the energy report reads, in its order.
var MeterKinds = []string{"electricity", "water", "gas"}

// EnergyRow is one month's use of one kind of a unit (By "unit") or of a floor's units
// (By "floor", Unit empty) (能耗).
type EnergyRow struct {
	By      string
	Month   Month
	Floor   string
	Unit    string
	Kind    string
	Amount  decimal.Decimal
	Partial bool // a month end fell outside the meter's readings (that part counts as zero)
}

// EnergyReport is the energy use of a mall per unit and floor and month.
type EnergyReport struct {
	Range Range
	Rows  []EnergyRow // per month: each floor's units (by code, kind), then the floor's totals
	Read  storage.ReadSource
}

// Energy is the energy use of a mall's units over a range (admin, finance, maintenance,
// supervisors of the mall): per month, each unit's metered use of electricity, water
// and gas (its meters' monotonic series between the month's ends, interpolated between
// readings) and each floor's total, the units' floors from leasing.
func (s *Service) Energy(ctx context.Context, mallID uuid.UUID, r Range) (EnergyReport, error) {
	rep := EnergyReport{Range: r}
	if err := r.check(); err != nil {
		return rep, err
	}
	p, err := s.mallFor(ctx, mallID, propertyRoles...)
	if err != nil {
		return rep, err
	}
	if ctx, rep.Read, err = s.replica(ctx); err != nil {
		return rep, err
	}
	units, err := s.leasing.MallUnitFloors(ctx, p.GroupID, mallID)
	if err != nil || len(units) == 0 {
		return rep, err
	}
	floorOf := map[string]string{}
	codes := make([]string, len(units))
	for i, u := range units {
		floorOf[u.Code], codes[i] = u.Floor, u.Code
	}
	type key struct {
		m                 Month
		floor, unit, kind string
	}
	sum := map[key]*EnergyRow{}
	add := func(k key, by string, amount decimal.Decimal, partial bool) {
		row, ok := sum[k]
		if !ok {
			row = &EnergyRow{By: by, Month: k.m, Floor: k.floor, Unit: k.unit, Kind: k.kind}
			sum[k] = row
		}
		row.Amount, row.Partial = row.Amount.Add(amount), row.Partial || partial
	}
	for _, kind := range MeterKinds {
		meters, err := s.meters.MallUnitMeters(ctx, mallID, kind, codes, r.From.Start(p.Loc), r.To.Next().Start(p.Loc))
		if err != nil {
			return rep, err
		}
		for _, m := range meters {
			series := m.Series()
			unit := m.Device.BindingRef
			for _, month := range r.Months() {
				u := series.Between(month.Start(p.Loc), month.Next().Start(p.Loc))
				add(key{month, floorOf[unit], unit, kind}, "unit", u.Amount, u.Partial)
				add(key{month, floorOf[unit], "", kind}, "floor", u.Amount, u.Partial)
			}
		}
	}
	kindRank := map[string]int{}
	for i, k := range MeterKinds {
		kindRank[k] = i
	}
	for _, row := range sum {
		rep.Rows = append(rep.Rows, *row)
	}
	slices.SortFunc(rep.Rows, func(a, b EnergyRow) int {
		switch {
		case a.Month != b.Month:
			return a.Month.index() - b.Month.index()
		case a.Floor != b.Floor:
			return cmpString(a.Floor, b.Floor)
		case a.By != b.By:
			return cmpString(b.By, a.By) // units, then the floor's total
		case a.Unit != b.Unit:
			return cmpString(a.Unit, b.Unit)
		}
		return kindRank[a.Kind] - kindRank[b.Kind]
	})
	return rep, nil
}

// Table is the report as a table.
func (r EnergyReport) Table() Table {
	t := Table{Name: "energy_use", Read: r.Read, Columns: []Column{{"by", "维度", KindText},
		{"month", "月份", KindMonth}, {"floor", "楼层", KindText}, {"unit", "铺位", KindText},
		{"kind", "能源", KindText}, {"amount", "用量", KindNumber}, {"partial", "读数不全", KindText}}}
	for _, x := range r.Rows {
		partial := ""
		if x.Partial {
			partial = "是"
		}
		t.Rows = append(t.Rows, []any{x.By, x.Month.String(), x.Floor, x.Unit, x.Kind, x.Amount, partial})
	}
	series := make([]SummarySeries, len(MeterKinds))
	for i, k := range MeterKinds {
		series[i] = SummarySeries{Name: k, Kind: KindInt}
	}
	t.Summary = summarize("每月能耗", r.Rows, func(x EnergyRow) (string, bool) { return x.Month.String(), x.By == "floor" },
		series, func(x EnergyRow) []decimal.Decimal {
			out := make([]decimal.Decimal, len(MeterKinds))
			for i, k := range MeterKinds {
				out[i] = decimal.Zero
				if x.Kind == k {
					out[i] = x.Amount
				}
			}
			return out
		})
	return t
}
