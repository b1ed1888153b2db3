package reports

import (
	"context"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/exports"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// Every report is also an export source (kind "report_" + its table's name): the
// report's table as the data sheet, its monthly summary (when it has one) as the
// summary sheet with a native Excel chart. The months are the filter's: period (one
// month, YYYY-MM), else from and to (the months holding from and the instant before
// to, in the mall's zone), else the twelve months up to this one. The report's own
// roles apply when the export starts and again in the job, whose context prefers the
// read replica.

// exportReport is one report as an export source.
type exportReport struct {
	s     *Service
	kind  string
	title string
	cols  []Column
	run   func(ctx context.Context, s *Service, mall uuid.UUID, r Range) (Table, error)
}

// ExportSources are the reports as export sources, for exports.Register.
func (s *Service) ExportSources() []exports.Source {
	mk := func(title string, zero Table, run func(ctx context.Context, s *Service, mall uuid.UUID, r Range) (Table, error)) exports.Source {
		return exportReport{s: s, kind: "report_" + zero.Name, title: title, cols: zero.Columns, run: run}
	}
	return []exports.Source{
		mk("会员卡统计", CardReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, r Range) (Table, error) {
			rep, err := s.Cards(ctx, m, r)
			return rep.Table(), err
		}),
		mk("会员统计", MemberReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, r Range) (Table, error) {
			rep, err := s.Members(ctx, m, r)
			return rep.Table(), err
		}),
		mk("消费统计", ConsumptionReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, r Range) (Table, error) {
			rep, err := s.Consumption(ctx, m, r)
			return rep.Table(), err
		}),
		mk("积分负债", PointsReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, r Range) (Table, error) {
			rep, err := s.Points(ctx, m, r)
			return rep.Table(), err
		}),
		mk("券效果", CouponReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, _ Range) (Table, error) {
			rep, err := s.Coupons(ctx, m)
			return rep.Table(), err
		}),
		mk("出租率", OccupancyReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, _ Range) (Table, error) {
			rep, err := s.Occupancy(ctx, m)
			return rep.Table(), err
		}),
		mk("招商漏斗", PipelineReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, r Range) (Table, error) {
			rep, err := s.Pipeline(ctx, m, r)
			return rep.Table(), err
		}),
		mk("欠费账龄", ArrearsReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, _ Range) (Table, error) {
			rep, err := s.Arrears(ctx, m, schedule.Date{})
			return rep.Table(), err
		}),
		mk("巡更合规", PatrolReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, r Range) (Table, error) {
			rep, err := s.Patrol(ctx, m, r)
			return rep.Table(), err
		}),
		mk("预约利用率", BookingsReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, r Range) (Table, error) {
			rep, err := s.Bookings(ctx, m, r)
			return rep.Table(), err
		}),
		mk("工单时效", SLAReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, r Range) (Table, error) {
			rep, err := s.WorkOrderSLA(ctx, m, r)
			return rep.Table(), err
		}),
		mk("能耗", EnergyReport{}.Table(), func(ctx context.Context, s *Service, m uuid.UUID, r Range) (Table, error) {
			rep, err := s.Energy(ctx, m, r)
			return rep.Table(), err
		}),
	}
}

// sheetKinds maps a report column's kind to an export column's.
var sheetKinds = map[Kind]exports.Kind{KindText: exports.Text, KindMonth: exports.Text, KindInt: exports.Int,
	KindMoney: exports.Money, KindPoints: exports.Number, KindNumber: exports.Number, KindPercent: exports.Percent}

func (e exportReport) Spec() exports.Spec {
	cols := make([]exports.Column, len(e.cols))
	for i, c := range e.cols {
		cols[i] = exports.Column{Header: c.Title, Kind: sheetKinds[c.Kind]}
	}
	return exports.Spec{Kind: e.kind, Title: e.title, Columns: cols}
}

func (e exportReport) Open(ctx context.Context, f exports.Filter) (exports.Rows, error) {
	r, err := e.s.exportRange(ctx, f)
	if err != nil {
		return exports.Rows{}, err
	}
	t, err := e.run(ctx, e.s, f.MallID, r)
	if err != nil {
		return exports.Rows{}, err
	}
	rows := make([][]any, len(t.Rows))
	for i, row := range t.Rows {
		out := make([]any, len(row))
		for j, v := range row {
			out[j] = sheetValue(e.cols[j].Kind, v)
		}
		rows[i] = out
	}
	done := false
	return exports.Rows{Total: int64(len(rows)),
		Next: func(context.Context) ([][]any, error) {
			if done {
				return nil, nil
			}
			done = true
			return rows, nil
		},
		Summary: func(context.Context) (*exports.Chart, error) { return chartOf(t.Summary), nil }}, nil
}

// sheetValue converts a report cell to its export column's value.
func sheetValue(k Kind, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case decimal.Decimal:
		if k == KindMoney {
			return x.Shift(2).Round(0).IntPart()
		}
		f, _ := x.Float64()
		return f
	case *float64:
		if x == nil {
			return nil
		}
		return *x / 100 // percent → fraction
	case int:
		return int64(x)
	}
	return v
}

// chartOf is a report's summary as an export's chart (money in fen, the rest rounded).
func chartOf(s *Summary) *exports.Chart {
	if s == nil {
		return nil
	}
	c := &exports.Chart{Title: s.Title, Months: s.Months}
	for _, x := range s.Series {
		kind, vals := exports.Int, make([]int64, len(x.Values))
		for i, v := range x.Values {
			if x.Kind == KindMoney {
				kind, vals[i] = exports.Money, v.Shift(2).Round(0).IntPart()
			} else {
				vals[i] = v.Round(0).IntPart()
			}
		}
		c.Series = append(c.Series, exports.Series{Name: x.Name, Kind: kind, Values: vals})
	}
	return c
}

// exportRange is the months an export filter asks for (see above).
func (s *Service) exportRange(ctx context.Context, f exports.Filter) (Range, error) {
	if f.Period != "" {
		m, err := ParseMonth(f.Period)
		if err != nil {
			return Range{}, errs.Invalid("input.filter.period", "a month is YYYY-MM")
		}
		return Range{From: m, To: m}, nil
	}
	p, err := s.org.MallPlace(ctx, nil, f.MallID)
	if err != nil {
		return Range{}, errs.ErrForbidden
	}
	to := MonthOf(s.now().In(p.Loc))
	if f.To != nil {
		to = MonthOf(f.To.Add(-1).In(p.Loc))
	}
	from := MonthOf(to.First().AddDate(0, -11, 0))
	if f.From != nil {
		from = MonthOf(f.From.In(p.Loc))
	}
	r := Range{From: from, To: to}
	return r, r.check()
}
