package loyalty

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
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
	var capped *int32
	if r.CapPerPurchase > 0 {
		c := int32(r.CapPerPurchase)
		capped = &c
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		err := q.DeleteEarnRule(ctx, queries.DeleteEarnRuleParams{GroupID: r.GroupID, MerchantID: merchant, Category: category})
		if err != nil {
			return err
		}
		return storage.MapError(q.InsertEarnRule(ctx, queries.InsertEarnRuleParams{ID: service.NewID(), GroupID: r.GroupID,
			MerchantID: merchant, Category: category, PointsPerYuan: r.PointsPerYuan, CapPerPurchase: capped}))
	})
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
// mall's time zone, days after now's business day (the next day's first instant).
func ExpiryOf(now time.Time, loc *time.Location, days int) time.Time {
	return calendar.StartOfDay(now, loc).AddDate(0, 0, days+1)
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
	return queries.New(s.db.Pool).UpsertRechargeRule(ctx, queries.UpsertRechargeRuleParams{ID: service.NewID(),
		GroupID: groupID, MinAmount: minAmount, Bonus: bonus})
}

// rechargeBonus is the bonus of the largest rule amount reaches (zero when none).
func rechargeBonus(ctx context.Context, q queries.DBTX, groupID uuid.UUID, amount decimal.Decimal) (decimal.Decimal, error) {
	return queries.New(q).RechargeBonus(ctx, groupID, amount)
}
