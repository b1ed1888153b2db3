package coupons

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// subject lets the redemption service use and restore coupons when their codes are
// redeemed by staff or voided.
type subject struct{ s *Service }

// RedeemTx marks the coupon used.
func (sub subject) RedeemTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, at time.Time) error {
	tag, err := tx.Exec(ctx, `WITH u AS (UPDATE coupons c SET status = 'used', used_at = $2, used_ref = 'redemption',
			discount = t.face_value, funder = t.funder
		FROM coupon_templates t WHERE c.id = $1 AND c.status = 'issued' AND t.id = c.template_id RETURNING c.template_id)
		UPDATE coupon_templates t SET redeemed_count = redeemed_count + 1 FROM u WHERE t.id = u.template_id`, id, at)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrCouponNotUsable
	}
	return err
}

// RestoreTx makes the coupon usable again and gives the template's quota back.
func (sub subject) RestoreTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
	_, err := tx.Exec(ctx, `WITH u AS (UPDATE coupons SET status = 'issued', used_at = NULL, used_ref = NULL,
			discount = NULL, funder = NULL WHERE id = $1 AND status = 'used' RETURNING template_id)
		UPDATE coupon_templates t SET redeemed_count = redeemed_count - 1 FROM u WHERE t.id = u.template_id`, id)
	return err
}
