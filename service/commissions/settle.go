package commissions

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/commissions/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
)

// Settlement is one staff member's commission of a merchant's month.
type Settlement struct {
	ID         uuid.UUID
	MerchantID uuid.UUID
	StaffID    uuid.UUID
	Month      string // YYYY-MM
	Sales      decimal.Decimal
	Total      decimal.Decimal
	LineCount  int
	SettledAt  time.Time
}

// Line is one commission line.
type Line struct {
	ID         uuid.UUID
	StaffID    uuid.UUID // uuid.Nil: nobody served
	Month      string
	PurchaseID uuid.UUID
	RefundID   uuid.UUID // uuid.Nil for a sale
	LineNo     int
	Code       string
	Category   string
	Quantity   int
	Base       decimal.Decimal
	Commission decimal.Decimal
	CreatedAt  time.Time
}

func settlementOf(r queries.CommSettlement) Settlement {
	return Settlement{ID: r.ID, MerchantID: r.MerchantID, StaffID: r.StaffID, Month: r.Month.Format("2006-01"),
		Sales: r.Sales, Total: r.Total, LineCount: int(r.LineCount), SettledAt: r.SettledAt}
}

func lineOf(r queries.CommLine) Line {
	l := Line{ID: r.ID, Month: r.Month.Format("2006-01"), PurchaseID: r.PurchaseID, LineNo: int(r.LineNo),
		Code: r.Code, Category: r.Category, Quantity: int(r.Quantity), Base: r.Base, Commission: r.Commission,
		CreatedAt: r.CreatedAt}
	if r.StaffID != nil {
		l.StaffID = *r.StaffID
	}
	if r.RefundID != nil {
		l.RefundID = *r.RefundID
	}
	return l
}

// Settle settles a merchant's ended month: one settlement per staff member with lines
// in it, its total the sum of their lines, and the month closed (later lines go to the
// next open month). A second settlement is COMMISSION_MONTH_SETTLED; the current month
// COMMISSION_MONTH_NOT_OVER.
func (s *Service) Settle(ctx context.Context, merchant uuid.UUID, month string) ([]Settlement, error) {
	p, err := s.merchantFor(ctx, merchant, settleRoles...)
	if err != nil {
		return nil, err
	}
	m, err := ParseMonth("month", month)
	if err != nil {
		return nil, err
	}
	if !m.Before(monthOf(s.now(), p)) {
		return nil, ErrMonthOpen.At("month")
	}
	var out []Settlement
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		if err := q.LockMonthExclusive(ctx, p.MerchantID.String(), m.Format(time.DateOnly)); err != nil {
			return err
		}
		now := s.now()
		n, err := q.CloseMonth(ctx, queries.CloseMonthParams{GroupID: p.GroupID, MallID: p.MallID, MerchantID: merchant,
			Month: m, ClosedBy: access.Actor(ctx), ClosedAt: now})
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrMonthSettled.At("month")
		}
		totals, err := q.MonthTotals(ctx, queries.MonthTotalsParams{GroupID: p.GroupID, MerchantID: merchant, Month: m})
		if err != nil {
			return err
		}
		out = make([]Settlement, 0, len(totals))
		for _, t := range totals {
			st := queries.CommSettlement{ID: service.NewID(), GroupID: p.GroupID, MallID: p.MallID, MerchantID: merchant,
				StaffID: t.StaffID, Month: m, Sales: t.Sales, Total: t.Total, LineCount: t.LineCount, SettledAt: now}
			if err := q.InsertSettlement(ctx, queries.InsertSettlementParams(st)); err != nil {
				return err
			}
			out = append(out, settlementOf(st))
		}
		return nil
	})
	return out, err
}

// Settlements lists a merchant's settlements of a month (highest total first).
func (s *Service) Settlements(ctx context.Context, merchant uuid.UUID, month string) ([]Settlement, error) {
	p, err := s.merchantFor(ctx, merchant, readRoles...)
	if err != nil {
		return nil, err
	}
	m, err := ParseMonth("month", month)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).Settlements(ctx, queries.SettlementsParams{GroupID: p.GroupID, MerchantID: merchant,
		Month: m})
	out := make([]Settlement, len(rows))
	for i, r := range rows {
		out[i] = settlementOf(r)
	}
	return out, err
}

// Lines lists a merchant's commission lines of a month, oldest first.
func (s *Service) Lines(ctx context.Context, merchant uuid.UUID, month string) ([]Line, error) {
	p, err := s.merchantFor(ctx, merchant, readRoles...)
	if err != nil {
		return nil, err
	}
	m, err := ParseMonth("month", month)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).MonthLines(ctx, queries.MonthLinesParams{GroupID: p.GroupID, MerchantID: merchant,
		Month: m})
	out := make([]Line, len(rows))
	for i, r := range rows {
		out[i] = lineOf(r)
	}
	return out, err
}

// StaffRank is a staff member's place in a merchant's ranking.
type StaffRank struct {
	Rank       int
	StaffID    uuid.UUID
	Sales      decimal.Decimal
	Commission decimal.Decimal
	Purchases  int
}

// ProductRank is a product or service's place in a merchant's ranking (net of refunds).
type ProductRank struct {
	Rank     int
	Code     string
	Category string
	Quantity int
	Sales    decimal.Decimal
}

// Ranking is a merchant's rankings over months [from, to] (YYYY-MM, at most 12).
type Ranking struct {
	Staff    []StaffRank
	Products []ProductRank
}

// Ranking ranks the merchant's staff by commission and its products and services by
// net sales over the months from..to, the top n (1..100) of each.
func (s *Service) Ranking(ctx context.Context, merchant uuid.UUID, from, to string, n int) (Ranking, error) {
	p, err := s.merchantFor(ctx, merchant, readRoles...)
	if err != nil {
		return Ranking{}, err
	}
	f, err := ParseMonth("from", from)
	if err != nil {
		return Ranking{}, err
	}
	t, err := ParseMonth("to", to)
	if err != nil {
		return Ranking{}, err
	}
	if t.Before(f) || t.After(f.AddDate(0, 11, 0)) {
		return Ranking{}, errs.Invalid("to", "to is from or later, at most 12 months")
	}
	if n < 1 || n > 100 {
		n = 100
	}
	q := queries.New(s.db.Pool)
	staff, err := q.StaffRanking(ctx, queries.StaffRankingParams{GroupID: p.GroupID, MerchantID: merchant, FromMonth: f,
		ToMonth: t, Lim: int32(n)})
	if err != nil {
		return Ranking{}, err
	}
	prods, err := q.ProductRanking(ctx, queries.ProductRankingParams{GroupID: p.GroupID, MerchantID: merchant,
		FromMonth: f, ToMonth: t, Lim: int32(n)})
	if err != nil {
		return Ranking{}, err
	}
	var out Ranking
	for i, r := range staff {
		out.Staff = append(out.Staff, StaffRank{Rank: i + 1, StaffID: r.StaffID, Sales: r.Sales, Commission: r.Commission,
			Purchases: int(r.Purchases)})
	}
	for i, r := range prods {
		out.Products = append(out.Products, ProductRank{Rank: i + 1, Code: r.Code, Category: r.Category,
			Quantity: int(r.Quantity), Sales: r.Sales})
	}
	return out, nil
}
