package reports

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/reports/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// CardMonth is one month's card statistics of one card type and tier (会员卡统计).
type CardMonth struct {
	Month      Month
	CardTypeID uuid.UUID
	CardType   string
	TierID     uuid.UUID // uuid.Nil: members without a tier
	Tier       string
	New        int64 // cards issued (a reissue's replacement card is not new)
	Renewed    int64 // cards reissued (补卡/换卡)
	Cancelled  int64
	Active     int64 // cards in circulation at the month's end: all new ones so far minus cancelled
}

// CardReport is the member-card statistics of a mall's members (by the mall they
// registered at) per month.
type CardReport struct {
	Range Range
	Rows  []CardMonth // by month, card type, tier; a month without events of a type and tier has no row
	AsOf  *time.Time
	Read  storage.ReadSource
}

// Cards is the monthly card statistics of a mall's members over a range (admin,
// finance, member operations of the mall).
func (s *Service) Cards(ctx context.Context, mallID uuid.UUID, r Range) (CardReport, error) {
	rep := CardReport{Range: r}
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
	rep, err = s.cards(ctx, p.GroupID, mallID, r)
	rep.Read = read
	return rep, err
}

func (s *Service) cards(ctx context.Context, group, mall uuid.UUID, r Range) (CardReport, error) {
	rep := CardReport{Range: r}
	rows, err := queries.New(s.db.Reader(ctx)).CardMonths(ctx, queries.CardMonthsParams{GroupID: group, MallID: mall,
		ToMonth: r.To.First()})
	if err != nil {
		return rep, err
	}
	for _, x := range rows {
		m := MonthOf(x.Month)
		if m.index() < r.From.index() {
			continue
		}
		rep.Rows = append(rep.Rows, CardMonth{Month: m, CardTypeID: x.CardTypeID, CardType: x.CardType,
			TierID: x.TierID, Tier: x.Tier, New: int64(x.Issued), Renewed: int64(x.Renewed),
			Cancelled: int64(x.Cancelled), Active: x.Active})
	}
	rep.AsOf, err = s.asOf(ctx, SourceCardEvents)
	return rep, err
}

// Table is the report as a table.
func (r CardReport) Table() Table {
	t := Table{Name: "member_cards", AsOf: r.AsOf, Read: r.Read, Columns: []Column{
		{"month", "月份", KindMonth}, {"cardType", "卡类型", KindText}, {"tier", "等级", KindText},
		{"new", "新增", KindInt}, {"renewed", "换卡", KindInt}, {"cancelled", "注销", KindInt},
		{"active", "流通卡数", KindInt}}}
	for _, x := range r.Rows {
		t.Rows = append(t.Rows, []any{x.Month.String(), x.CardType, x.Tier, x.New, x.Renewed, x.Cancelled, x.Active})
	}
	t.Summary = summarize("每月会员卡", r.Rows, func(x CardMonth) (string, bool) { return x.Month.String(), true },
		[]SummarySeries{{Name: "新增", Kind: KindInt}, {Name: "注销", Kind: KindInt}, {Name: "流通卡数", Kind: KindInt}},
		func(x CardMonth) []decimal.Decimal {
			return []decimal.Decimal{dec(x.New), dec(x.Cancelled), dec(x.Active)}
		})
	return t
}
