package redemption

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
)

// MerchantDay is the number of live (not voided) redemptions at a merchant on a
// business day of the mall; MerchantID is uuid.Nil for redemptions by mall staff.
type MerchantDay struct {
	MerchantID uuid.UUID
	Day        time.Time // midnight UTC of the mall's calendar day
	Count      int
}

// RedemptionsPerMerchantDay reports a mall's redemptions per merchant per day in
// [from, to), for the mall's admin, finance and member-ops staff.
func (s *Service) RedemptionsPerMerchantDay(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]MerchantDay, error) {
	ref, err := s.org.MallRef(ctx, mallID)
	if err != nil {
		return nil, err
	}
	if !auth.ViewerFrom(ctx).Can(ref, auth.RoleAdmin, auth.RoleFinance, auth.RoleMemberOps) {
		return nil, errs.ErrForbidden
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT coalesce(r.merchant_id, '00000000-0000-0000-0000-000000000000'),
		(r.redeemed_at AT TIME ZONE m.time_zone)::date, count(*)
		FROM redemptions r JOIN redemption_codes c ON c.id = r.code_id JOIN malls m ON m.id = c.mall_id
		WHERE c.mall_id = $1 AND r.voided_at IS NULL AND r.redeemed_at >= $2 AND r.redeemed_at < $3
		GROUP BY 1, 2 ORDER BY 2, 1`, mallID, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (MerchantDay, error) {
		var d MerchantDay
		err := r.Scan(&d.MerchantID, &d.Day, &d.Count)
		return d, err
	})
}
