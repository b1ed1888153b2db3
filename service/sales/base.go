package sales

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/sales/internal/queries"
)

// DeclaredBy says what a month's declared sales are.
type DeclaredBy string

// How a month was declared.
const (
	DeclaredByMonth DeclaredBy = "month" // a month's declaration (it wins over days)
	DeclaredByDays  DeclaredBy = "days"  // the sum of the days reported
	DeclaredByNone  DeclaredBy = "none"  // nothing reported
)

// Base is the percentage-rent base of one merchant's month: declared and verified
// sales side by side, and the gap between them.
type Base struct {
	MerchantID   uuid.UUID
	MerchantCode string
	MerchantName string
	Month        time.Time // the 1st, midnight UTC
	Declared     decimal.Decimal
	DeclaredBy   DeclaredBy
	DaysReported int
	Verified     decimal.Decimal
	Gap          Gap
}

// Gap compares verified with declared sales.
type Gap struct {
	Amount  decimal.Decimal  // verified − declared: positive when receipts exceed the declaration
	Percent *decimal.Decimal // |Amount| / declared × 100, two decimals; nil when nothing was declared
	Flagged bool             // beyond the threshold, either way
}

// GapOf is the rule: the gap is verified − declared; it is flagged when its size is
// more than threshold × declared (either way), or when nothing was declared but
// purchases were verified.
func GapOf(declared, verified, threshold decimal.Decimal) Gap {
	g := Gap{Amount: verified.Sub(declared)}
	if !declared.IsPositive() {
		g.Flagged = verified.IsPositive()
		return g
	}
	pct := g.Amount.Abs().Div(declared).Mul(decimal.NewFromInt(100)).Round(2)
	g.Percent = &pct
	g.Flagged = g.Amount.Abs().GreaterThan(threshold.Mul(declared))
	return g
}

// declaredOf is a month's declared sales from its rows: the month declaration when
// there is one, else the days' sum.
func declaredOf(r queries.DeclaredOfMonthRow) (decimal.Decimal, DeclaredBy) {
	switch {
	case r.HasMonth:
		return r.MonthTotal, DeclaredByMonth
	case r.Days > 0:
		return r.DaysTotal, DeclaredByDays
	}
	return decimal.Zero, DeclaredByNone
}

// MerchantBase is one merchant's base of the month of day: its tenant, or leasing,
// finance and admin staff of its mall.
func (s *Service) MerchantBase(ctx context.Context, merchantID uuid.UUID, month time.Time) (Base, error) {
	p, _, err := s.atMerchant(ctx, merchantID)
	if err != nil {
		return Base{}, err
	}
	bs, err := s.bases(ctx, p, firstOfMonth(month), []uuid.UUID{merchantID})
	if err != nil || len(bs) == 0 {
		return Base{}, err
	}
	return bs[0], nil
}

// MallBase is the base of the month of day of every merchant of the mall that reported,
// had verified sales or is due to report (ReportingMerchants), by merchant code:
// leasing, finance and admin staff of the mall.
func (s *Service) MallBase(ctx context.Context, mallID uuid.UUID, month time.Time) ([]Base, error) {
	p, err := s.atMall(ctx, mallID, mallRoles...)
	if err != nil {
		return nil, err
	}
	return s.bases(ctx, p, firstOfMonth(month), nil)
}

// bases computes the month's bases at p (a mall, or one merchant of only).
func (s *Service) bases(ctx context.Context, p org.Place, first time.Time, only []uuid.UUID) ([]Base, error) {
	st, err := s.settings(ctx, p.GroupID, p.MallID)
	if err != nil {
		return nil, err
	}
	declared, err := s.declared(ctx, p, first)
	if err != nil {
		return nil, err
	}
	verified, err := s.verified(ctx, p, first)
	if err != nil {
		return nil, err
	}
	if only == nil {
		if only, err = s.ReportingMerchants(ctx, p.GroupID, p.MallID, first); err != nil {
			return nil, err
		}
	}
	return s.assemble(ctx, p.MallID, first, st, declared, verified, only)
}

// declared reads the month's declarations per merchant.
func (s *Service) declared(ctx context.Context, p org.Place, first time.Time) (map[uuid.UUID]queries.DeclaredOfMonthRow, error) {
	arg := queries.DeclaredOfMonthParams{GroupID: p.GroupID, MallID: p.MallID, FirstDay: first,
		NextFirst: first.AddDate(0, 1, 0)}
	if p.MerchantID != uuid.Nil {
		arg.MerchantID = &p.MerchantID
	}
	rows, err := queries.New(s.db.Pool).DeclaredOfMonth(ctx, arg)
	if err != nil {
		return nil, fmt.Errorf("sales: declared: %w", err)
	}
	out := make(map[uuid.UUID]queries.DeclaredOfMonthRow, len(rows))
	for _, r := range rows {
		out[r.MerchantID] = r
	}
	return out, nil
}

// verified sums loyalty's verified sales of the month per merchant (business days in
// the mall's zone).
func (s *Service) verified(ctx context.Context, p org.Place, first time.Time) (map[uuid.UUID]decimal.Decimal, error) {
	from := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, p.Loc)
	days, err := s.loyalty.VerifiedSales(ctx, p.MallID, p.MerchantID, p.Loc, from, from.AddDate(0, 1, 0))
	if err != nil {
		return nil, err
	}
	out := map[uuid.UUID]decimal.Decimal{}
	for _, d := range days {
		out[d.MerchantID] = out[d.MerchantID].Add(d.Amount)
	}
	return out, nil
}

// assemble builds the bases of the merchants with data or in want, by code.
func (s *Service) assemble(ctx context.Context, mallID uuid.UUID, first time.Time, st Settings,
	declared map[uuid.UUID]queries.DeclaredOfMonthRow, verified map[uuid.UUID]decimal.Decimal, want []uuid.UUID) ([]Base, error) {
	merchants, err := s.org.MallMerchants(ctx, mallID)
	if err != nil {
		return nil, err
	}
	var out []Base
	for _, m := range merchants {
		d, hasD := declared[m.ID]
		v, hasV := verified[m.ID]
		if !hasD && !hasV && !slices.Contains(want, m.ID) {
			continue
		}
		amount, by := declaredOf(d)
		out = append(out, Base{MerchantID: m.ID, MerchantCode: m.Code, MerchantName: m.Name, Month: first,
			Declared: amount, DeclaredBy: by, DaysReported: int(d.Days), Verified: v, Gap: GapOf(amount, v, st.GapThreshold)})
	}
	return out, nil
}
