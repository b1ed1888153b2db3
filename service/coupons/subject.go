package coupons

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/coupons/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// subject lets the redemption service use and restore coupons when their codes are
// redeemed by staff or voided.
type subject struct{ s *Service }

// RedeemTx marks the coupon used (at face value, funded by its template's funder) and
// counts it on the template.
func (sub subject) RedeemTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, at time.Time) error {
	q := queries.New(tx)
	from, err := q.CouponStatusForUpdate(ctx, id)
	if err = storage.MapError(err); errors.Is(err, storage.ErrNotFound) {
		return ErrCouponNotUsable.Msgf("coupon not found")
	} else if err != nil {
		return err
	}
	to, err := couponStates.Next(CouponUse, CouponStatus(from))
	if err != nil {
		return err
	}
	n, err := q.UseCouponByStaff(ctx, queries.UseCouponByStaffParams{ID: id, UsedAt: at,
		FromStatus: from, ToStatus: string(to)})
	if err == nil && n == 0 {
		return ErrCouponNotUsable
	}
	return err
}

// RestoreTx makes a used coupon usable again and gives the template's count back; a
// coupon that is not used is left alone.
func (sub subject) RestoreTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
	from, to := couponEdge(CouponRestore)
	return queries.New(tx).RestoreCouponByStaff(ctx, queries.RestoreCouponByStaffParams{ID: id,
		FromStatus: string(from), ToStatus: string(to)})
}
