package loyalty

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// EarnRule is points per yuan for a merchant, a category, or (both empty) the group.
type EarnRule struct {
	GroupID        uuid.UUID
	MerchantID     uuid.UUID // uuid.Nil: not merchant-specific
	Category       string    // "": not category-specific
	PointsPerYuan  decimal.Decimal
	CapPerPurchase int // 0: no cap
}

// SetEarnRule stores an earning rule, replacing the one of the same scope.
func (s *Service) SetEarnRule(ctx context.Context, r EarnRule) error {
	if err := canConfigure(ctx, r.GroupID); err != nil {
		return err
	}
	if r.PointsPerYuan.IsNegative() || r.CapPerPurchase < 0 {
		return errs.Invalid("input.pointsPerYuan", "rates and caps cannot be negative")
	}
	var merchant *uuid.UUID
	if r.MerchantID != uuid.Nil {
		merchant = &r.MerchantID
	}
	var category *string
	if r.Category != "" {
		category = &r.Category
	}
	var capped *int
	if r.CapPerPurchase > 0 {
		capped = &r.CapPerPurchase
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM loyalty_earn_rules WHERE group_id = $1
			AND merchant_id IS NOT DISTINCT FROM $2 AND category IS NOT DISTINCT FROM $3`, r.GroupID, merchant, category)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO loyalty_earn_rules (id, group_id, merchant_id, category, points_per_yuan,
			cap_per_purchase) VALUES ($1, $2, $3, $4, $5, $6)`, service.NewID(), r.GroupID, merchant, category,
			r.PointsPerYuan, capped)
		return storage.MapError(err)
	})
}

// earnRule finds the rule for a merchant: its own, else its category's, else the
// group's, else one point per yuan without cap.
func earnRule(ctx context.Context, q storage.Querier, groupID, merchantID uuid.UUID, category string) (EarnRule, error) {
	r := EarnRule{GroupID: groupID, PointsPerYuan: decimal.NewFromInt(1)}
	var capped *int
	err := q.QueryRow(ctx, `SELECT points_per_yuan, cap_per_purchase FROM loyalty_earn_rules
		WHERE group_id = $1 AND (merchant_id = $2 OR (merchant_id IS NULL AND category = $3)
			OR (merchant_id IS NULL AND category IS NULL))
		ORDER BY merchant_id IS NULL, category IS NULL LIMIT 1`, groupID, merchantID, category).
		Scan(&r.PointsPerYuan, &capped)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, nil
	}
	if capped != nil {
		r.CapPerPurchase = *capped
	}
	return r, err
}

// PointsFor is the points a payment of paid yuan earns under rule and a tier
// multiplier: floor(paid × rate × multiplier), at most the rule's cap.
func PointsFor(paid decimal.Decimal, rule EarnRule, multiplier decimal.Decimal) decimal.Decimal {
	if !paid.IsPositive() {
		return decimal.Zero
	}
	p := paid.Mul(rule.PointsPerYuan).Mul(multiplier).Floor()
	if rule.CapPerPurchase > 0 {
		p = decimal.Min(p, decimal.NewFromInt(int64(rule.CapPerPurchase)))
	}
	return p
}

// Discounted is amount × rate rounded to the fen (half up).
func Discounted(amount, rate decimal.Decimal) decimal.Decimal {
	return amount.Mul(rate).Round(2)
}

// ExpiryOf is when points earned at now expire: the end of the business day, in the
// mall's time zone, days after now's business day.
func ExpiryOf(now time.Time, loc *time.Location, days int) time.Time {
	local := now.In(loc)
	return time.Date(local.Year(), local.Month(), local.Day()+days+1, 0, 0, 0, 0, loc)
}

// SetRechargeBonus sets the bonus for recharges of at least minAmount (pay 100 get 110:
// minAmount 100, bonus 10).
func (s *Service) SetRechargeBonus(ctx context.Context, groupID uuid.UUID, minAmount, bonus decimal.Decimal) error {
	if err := canConfigure(ctx, groupID); err != nil {
		return err
	}
	if err := money("input.minAmount", minAmount, true); err != nil {
		return err
	}
	if err := money("input.bonus", bonus, false); err != nil {
		return err
	}
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO loyalty_recharge_rules (id, group_id, min_amount, bonus)
		VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, min_amount) DO UPDATE SET bonus = $4`,
		service.NewID(), groupID, minAmount, bonus)
	return err
}

// rechargeBonus is the bonus of the largest rule amount reaches (zero when none).
func rechargeBonus(ctx context.Context, q storage.Querier, groupID uuid.UUID, amount decimal.Decimal) (decimal.Decimal, error) {
	var bonus decimal.Decimal
	err := q.QueryRow(ctx, `SELECT coalesce((SELECT bonus FROM loyalty_recharge_rules WHERE group_id = $1 AND min_amount <= $2
		ORDER BY min_amount DESC LIMIT 1), 0)`, groupID, amount).Scan(&bonus)
	return bonus, err
}
