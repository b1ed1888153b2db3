package loyalty

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
)

// share is the part of total that a cumulative refund of done out of payable covers,
// rounded to places; the last refund takes the exact remainder.
func share(total, done, payable decimal.Decimal, places int32) decimal.Decimal {
	if done.Equal(payable) {
		return total
	}
	return total.Mul(done).Div(payable).Round(places)
}

// slicePieces returns n points of pieces after skipping the first skip points.
func slicePieces(pieces []ledger.Piece, skip, n decimal.Decimal) []ledger.Piece {
	var out []ledger.Piece
	for _, p := range pieces {
		take := decimal.Min(p.Amount, skip)
		p.Amount, skip = p.Amount.Sub(take), skip.Sub(take)
		take = decimal.Min(p.Amount, n)
		if take.IsPositive() {
			p.Amount, n = take, n.Sub(take)
			out = append(out, p)
		}
	}
	return out
}

// saveRefund adds the refund to its purchase and records it.
func saveRefund(ctx context.Context, tx pgx.Tx, purchase uuid.UUID, r Refund, complete bool, s *Service) error {
	q := queries.New(tx)
	if err := q.AddRefunded(ctx, queries.AddRefundedParams{ID: purchase, Amount: r.Amount, Complete: complete}); err != nil {
		return err
	}
	return q.InsertRefund(ctx, queries.InsertRefundParams{ID: r.ID, PurchaseID: purchase, Amount: r.Amount,
		StoredValue: r.StoredValue, PointsBack: r.PointsBack, PointsClawed: r.PointsClawed, Cash: r.Cash,
		CreatedAt: s.now(), CouponFunding: r.CouponFunding})
}
