package reports

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/brands"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/patrol"
)

// The reports below are cheap from a summary their owner already keeps, so they call
// the owner's service (its own role check applies too) and only shape its answer.

// ArrearsReport is the mall's tenants with something past due, with their ageing
// buckets (billing's ageing of open items).
type ArrearsReport struct {
	AsOf    schedule.Date
	Tenants []billing.TenantAgeing
	names   map[uuid.UUID]string
}

// Arrears is the arrears ageing of a mall as of a day (today when zero): admin and
// finance of the mall.
func (s *Service) Arrears(ctx context.Context, mallID uuid.UUID, asOf schedule.Date) (ArrearsReport, error) {
	rep := ArrearsReport{AsOf: asOf}
	p, err := s.mallFor(ctx, mallID, financeRoles...)
	if err != nil {
		return rep, err
	}
	if asOf.IsZero() {
		rep.AsOf = schedule.DateOf(s.now().In(p.Loc))
	}
	if rep.Tenants, err = s.billing.Arrears(ctx, mallID, rep.AsOf); err != nil {
		return rep, err
	}
	rep.names, err = s.merchantNames(ctx, mallID)
	return rep, err
}

// Table is the report as a table: a row per tenant, a column per bucket.
func (r ArrearsReport) Table() Table {
	t := Table{Name: "arrears_ageing", Columns: []Column{{"tenant", "租户", KindText},
		{"current", "未到期", KindMoney}, {"d0_30", "逾期1-30天", KindMoney}, {"d31_60", "逾期31-60天", KindMoney},
		{"d61_90", "逾期61-90天", KindMoney}, {"d90plus", "逾期90天以上", KindMoney}, {"total", "合计", KindMoney},
		{"credit", "预收余额", KindMoney}, {"net", "净欠款", KindMoney}}}
	for _, a := range r.Tenants {
		row := []any{r.names[a.MerchantID]}
		for _, b := range a.Rows {
			row = append(row, b.Amount)
		}
		for len(row) < 6 {
			row = append(row, decimal.Zero)
		}
		t.Rows = append(t.Rows, append(row[:6], a.Total, a.Credit, a.Net))
	}
	return t
}

func (s *Service) merchantNames(ctx context.Context, mallID uuid.UUID) (map[uuid.UUID]string, error) {
	ms, err := s.merchants(ctx, mallID)
	out := map[uuid.UUID]string{}
	for id, m := range ms {
		out[id] = m.name
	}
	return out, err
}

// PatrolReport is patrol compliance per guard and per route (patrol's compliance).
type PatrolReport struct {
	Range Range
	patrol.ComplianceReport
}

// Patrol is the patrol compliance of a mall over up to three months (admin, finance,
// maintenance, supervisors of the mall), through patrol's MallCompliance (patrol's own
// query checks security, admins and supervisors; this report's roles are its own).
func (s *Service) Patrol(ctx context.Context, mallID uuid.UUID, r Range) (PatrolReport, error) {
	rep := PatrolReport{Range: r}
	if err := r.check(); err != nil {
		return rep, err
	}
	p, err := s.mallFor(ctx, mallID, propertyRoles...)
	if err != nil {
		return rep, err
	}
	rep.ComplianceReport, err = s.patrol.MallCompliance(ctx, mallID, r.From.Start(p.Loc), r.To.Next().Start(p.Loc))
	return rep, err
}

// Table is the report as a table: a row per guard, then a row per route.
func (r PatrolReport) Table() Table {
	t := Table{Name: "patrol_compliance", Columns: []Column{{"by", "维度", KindText}, {"id", "编号", KindText},
		{"planned", "计划巡更", KindInt}, {"completed", "完成", KindInt}, {"missed", "漏检点", KindInt},
		{"onTimePercent", "准时率", KindPercent}}}
	add := func(by, id string, c patrol.Compliance) {
		pct := float64(c.OnTimePercent)
		t.Rows = append(t.Rows, []any{by, id, int64(c.Planned), int64(c.Completed), int64(c.Missed), &pct})
	}
	for _, c := range r.ByGuard {
		id := ""
		if c.GuardID != nil {
			id = c.GuardID.String()
		}
		add("guard", id, c)
	}
	for _, c := range r.ByRoute {
		add("route", c.RouteID.String(), c)
	}
	return t
}

// OccupancyReport is the occupancy of a mall's floors today (leasing's vacancy view).
type OccupancyReport struct {
	Floors []leasing.FloorVacancy
}

// Occupancy is the occupancy per floor of a mall today (admin, finance, leasing).
func (s *Service) Occupancy(ctx context.Context, mallID uuid.UUID) (OccupancyReport, error) {
	var rep OccupancyReport
	if _, err := s.mallFor(ctx, mallID, leasingRoles...); err != nil {
		return rep, err
	}
	var err error
	rep.Floors, err = s.leasing.Vacancy(ctx, mallID, "")
	return rep, err
}

// Table is the report as a table: a row per floor.
func (r OccupancyReport) Table() Table {
	t := Table{Name: "occupancy", Columns: []Column{{"floor", "楼层", KindText}, {"units", "铺位数", KindInt},
		{"vacant", "空置铺位", KindInt}, {"lettableArea", "可租面积", KindNumber}, {"vacantArea", "空置面积", KindNumber},
		{"occupancyPercent", "出租率", KindPercent}}}
	for _, f := range r.Floors {
		var pct *float64
		if f.LettableArea.IsPositive() {
			v, _ := f.LettableArea.Sub(f.VacantArea).Mul(decimal.NewFromInt(100)).Div(f.LettableArea).Float64()
			pct = &v
		}
		t.Rows = append(t.Rows, []any{f.Floor, int64(len(f.Units)), int64(f.VacantCount), f.LettableArea, f.VacantArea,
			pct})
	}
	return t
}

// PipelineReport is the 招商 funnel of the prospects created in a range (brands').
type PipelineReport struct {
	Range Range
	brands.Funnel
}

// Pipeline is the leasing pipeline funnel of a mall over a range (admin, finance,
// leasing).
func (s *Service) Pipeline(ctx context.Context, mallID uuid.UUID, r Range) (PipelineReport, error) {
	rep := PipelineReport{Range: r}
	if err := r.check(); err != nil {
		return rep, err
	}
	p, err := s.mallFor(ctx, mallID, leasingRoles...)
	if err != nil {
		return rep, err
	}
	rep.Funnel, err = s.brands.MallFunnel(ctx, p.GroupID, mallID, r.From.Start(p.Loc), r.To.Next().Start(p.Loc))
	return rep, err
}

// Table is the report as a table: a row per pipeline stage, then won, lost and open.
func (r PipelineReport) Table() Table {
	t := Table{Name: "leasing_pipeline", Columns: []Column{{"stage", "阶段", KindText}, {"count", "数量", KindInt},
		{"conversionPercent", "转化率", KindPercent}, {"medianDays", "中位天数", KindPercent}}}
	for _, st := range r.Steps {
		var conv *float64
		if st.Conversion != nil {
			v := *st.Conversion * 100
			conv = &v
		}
		t.Rows = append(t.Rows, []any{string(st.Stage), int64(st.Reached), conv, st.MedianDays})
	}
	for _, x := range []struct {
		k string
		n int
	}{{"PROSPECTS", r.Prospects}, {"WON", r.Won}, {"LOST", r.Lost}, {"OPEN", r.Open}} {
		t.Rows = append(t.Rows, []any{x.k, int64(x.n), nil, nil})
	}
	return t
}

var _ = time.Now
