package reports

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/reports/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// PointsMonth is a month of the points liability (积分负债) of a group.
type PointsMonth struct {
	Month       Month
	Earned      decimal.Decimal // net points into members' cards (available) in the month
	Outstanding decimal.Decimal // available points on members' cards at the month's end
	Pending     decimal.Decimal // points in their return window at the month's end
	Expiring    decimal.Decimal // points the live lots (available and pending) hold, as they stand, that expire in the month
}

// PointsReport is the points liability per month. Points are a group's liability
// (a member spends them in every mall of the group), so every mall of a group shows
// its group's figures.
type PointsReport struct {
	Range Range
	Rows  []PointsMonth // one per month of the range
	AsOf  *time.Time
	Read  storage.ReadSource
}

// Points is the points liability over a range (admin, finance, member operations of
// the mall): outstanding and pending at each month's end from the monthly rollup of
// the ledger's card accounts, and what the live lots (available and pending: a pending
// lot expires on its own date too) hold that expires in each month, from the rollup
// of the lots' moves by month of expiry (business months in the deployment's time
// zone, like the monthly points rollup).
func (s *Service) Points(ctx context.Context, mallID uuid.UUID, r Range) (PointsReport, error) {
	rep := PointsReport{Range: r}
	if err := r.check(); err != nil {
		return rep, err
	}
	p, err := s.mallFor(ctx, mallID, memberRoles...)
	if err != nil {
		return rep, err
	}
	ctx, read, err := s.replica(ctx)
	if err != nil {
		return rep, err
	}
	rep, err = s.points(ctx, p.GroupID, r)
	rep.Read = read
	return rep, err
}

// GroupPoints is the points liability of a whole group, across its malls, for the
// group's admin, finance and member operations (a grant at the group; a mall's staff
// read it through Points): the same figures, in the deployment's business time zone.
func (s *Service) GroupPoints(ctx context.Context, groupID uuid.UUID, r Range) (PointsReport, error) {
	rep := PointsReport{Range: r}
	if err := r.check(); err != nil {
		return rep, err
	}
	if _, err := access.Staff(ctx); err != nil {
		return rep, err
	}
	if err := access.At(ctx, auth.OrgRef{GroupID: groupID}, memberRoles...); err != nil {
		return rep, err
	}
	ctx, read, err := s.replica(ctx)
	if err != nil {
		return rep, err
	}
	rep, err = s.points(ctx, groupID, r)
	rep.Read = read
	return rep, err
}

func (s *Service) points(ctx context.Context, group uuid.UUID, r Range) (PointsReport, error) {
	rep := PointsReport{Range: r}
	q := queries.New(s.db.Reader(ctx))
	rows, err := q.PointsMonths(ctx, group, r.To.First())
	if err != nil {
		return rep, err
	}
	exp, err := q.PointsExpiryMonths(ctx, queries.PointsExpiryMonthsParams{GroupID: group, FromMonth: r.From.First(),
		ToMonth: r.To.First()})
	if err != nil {
		return rep, err
	}
	expiring := map[Month]decimal.Decimal{}
	for _, e := range exp {
		expiring[MonthOf(e.Month)] = e.Points
	}
	var out, pend decimal.Decimal
	i := 0
	for _, m := range r.Months() {
		earned := decimal.Zero
		for ; i < len(rows) && MonthOf(rows[i].Month).index() <= m.index(); i++ {
			out, pend = rows[i].Outstanding, rows[i].PendingTotal
			if MonthOf(rows[i].Month) == m {
				earned = rows[i].Available
			}
		}
		rep.Rows = append(rep.Rows, PointsMonth{Month: m, Earned: earned, Outstanding: out, Pending: pend,
			Expiring: expiring[m]})
	}
	rep.AsOf, err = s.asOf(ctx, SourceLedgerPoints, SourceLotMoves)
	return rep, err
}

// Table is the report as a table.
func (r PointsReport) Table() Table {
	t := Table{Name: "points_liability", AsOf: r.AsOf, Read: r.Read, Columns: []Column{
		{"month", "月份", KindMonth}, {"earned", "净增积分", KindPoints}, {"outstanding", "月末可用积分", KindPoints},
		{"pending", "月末待生效积分", KindPoints}, {"expiring", "当月到期积分（含待生效）", KindPoints}}}
	for _, x := range r.Rows {
		t.Rows = append(t.Rows, []any{x.Month.String(), x.Earned, x.Outstanding, x.Pending, x.Expiring})
	}
	t.Summary = summarize("每月积分负债", r.Rows, func(x PointsMonth) (string, bool) { return x.Month.String(), true },
		[]SummarySeries{{Name: "净增积分", Kind: KindInt}, {Name: "月末可用积分", Kind: KindInt},
			{Name: "月末待生效积分", Kind: KindInt}},
		func(x PointsMonth) []decimal.Decimal { return []decimal.Decimal{x.Earned, x.Outstanding, x.Pending} })
	return t
}
