package loyalty

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger"
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

func saveRefund(ctx context.Context, tx pgx.Tx, purchase uuid.UUID, r Refund, complete bool, s *Service) error {
	_, err := tx.Exec(ctx, `UPDATE loyalty_purchases SET refunded = refunded + $2, refund_complete = $3 WHERE id = $1`,
		purchase, r.Amount, complete)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO loyalty_refunds (id, purchase_id, amount, stored_value, points_back,
		points_clawed, cash, created_at, coupon_funding) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.ID, purchase, r.Amount, r.StoredValue, r.PointsBack, r.PointsClawed, r.Cash, s.now(), r.CouponFunding)
	return err
}
