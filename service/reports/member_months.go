package reports

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/reports/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// MemberMonth is one month's member statistics of one tier (会员统计).
type MemberMonth struct {
	Month    Month
	TierID   uuid.UUID // uuid.Nil: members without a tier
	Tier     string
	New      int64 // members registered in the month
	Exited   int64 // exits approved in the month (退会; the members' only cancelled status)
	Restored int64 // exited members restored in the month
	Active   int64 // members at the month's end: all registered so far minus exited plus restored
}

// MemberReport is the member statistics of a mall's members (by the mall they
// registered at) per month and tier. A member's tier is the one they held when their
// registration, exit or restore was rolled up (a few minutes after it), so the
// per-tier running totals do not follow later tier changes; their sum over the tiers
// (the summary) is every member of the mall.
type MemberReport struct {
	Range Range
	// Rows are by month, then tier name: every tier that has had a member by then, in
	// every month of the range (a month without events carries its Active forward).
	Rows []MemberMonth
	AsOf *time.Time
	Read storage.ReadSource
}

// Members is the monthly member statistics of a mall's members over a range (admin,
// finance, member operations of the mall).
func (s *Service) Members(ctx context.Context, mallID uuid.UUID, r Range) (MemberReport, error) {
	rep := MemberReport{Range: r}
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
	rep, err = s.members(ctx, p.GroupID, mallID, r)
	rep.Read = read
	return rep, err
}

func (s *Service) members(ctx context.Context, group, mall uuid.UUID, r Range) (MemberReport, error) {
	rep := MemberReport{Range: r}
	rows, err := queries.New(s.db.Reader(ctx)).MemberMonths(ctx, queries.MemberMonthsParams{GroupID: group,
		MallID: mall, ToMonth: r.To.First()})
	if err != nil {
		return rep, err
	}
	type tier struct {
		id   uuid.UUID
		name string
	}
	var tiers []tier // seen so far, by name
	active := map[uuid.UUID]int64{}
	i := 0
	for m := r.From; m.index() <= r.To.index(); m = m.Next() {
		month := map[uuid.UUID]MemberMonth{}
		for ; i < len(rows) && MonthOf(rows[i].Month).index() <= m.index(); i++ {
			x := rows[i]
			if _, seen := active[x.TierID]; !seen {
				tiers = append(tiers, tier{x.TierID, x.Tier})
			}
			active[x.TierID] += int64(x.Registered) - int64(x.Exited) + int64(x.Restored)
			if MonthOf(x.Month) == m {
				month[x.TierID] = MemberMonth{New: int64(x.Registered), Exited: int64(x.Exited),
					Restored: int64(x.Restored)}
			}
		}
		slices.SortStableFunc(tiers, func(a, b tier) int {
			if a.name != b.name {
				if a.name < b.name {
					return -1
				}
				return 1
			}
			return slices.Compare(a.id[:], b.id[:])
		})
		for _, t := range tiers {
			x := month[t.id]
			x.Month, x.TierID, x.Tier, x.Active = m, t.id, t.name, active[t.id]
			rep.Rows = append(rep.Rows, x)
		}
	}
	rep.AsOf, err = s.asOf(ctx, SourceMembers, SourceMemberExits, SourceMemberRestores)
	return rep, err
}

// Table is the report as a table.
func (r MemberReport) Table() Table {
	t := Table{Name: "member_months", AsOf: r.AsOf, Read: r.Read, Columns: []Column{
		{"month", "月份", KindMonth}, {"tier", "等级", KindText}, {"new", "新增会员", KindInt},
		{"exited", "退会", KindInt}, {"restored", "恢复", KindInt}, {"active", "月末会员数", KindInt}}}
	for _, x := range r.Rows {
		t.Rows = append(t.Rows, []any{x.Month.String(), x.Tier, x.New, x.Exited, x.Restored, x.Active})
	}
	t.Summary = summarize("每月会员", r.Rows, func(x MemberMonth) (string, bool) { return x.Month.String(), true },
		[]SummarySeries{{Name: "新增会员", Kind: KindInt}, {Name: "退会", Kind: KindInt}, {Name: "月末会员数", Kind: KindInt}},
		func(x MemberMonth) []decimal.Decimal {
			return []decimal.Decimal{dec(x.New), dec(x.Exited), dec(x.Active)}
		})
	return t
}
