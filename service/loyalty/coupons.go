package loyalty

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/org"
)

// applyCoupons validates and consumes the coupons of a purchase in its transaction,
// through the coupons context (its ValidateForPurchaseTx, ConsumeTx and RestoreTx: one
// set of coupon rules on every path).
//
// Order of discounts: the tier (or discount card) discount applies first; the coupons
// are then validated against, and discount, that discounted amount (so a coupon's
// minimum spend is met by what the member is charged after the tier discount). The
// payable amount never goes below zero. The coupons belong to the member whose card is
// presented (for a supplementary card, its holder, not the primary card's holder), and
// are consumed under the purchase id, which a refund uses to restore them.
//
// Funding: the mall-funded part of the discount (p.MallFunded) is owed by the mall to
// the merchant, and pay posts it from the coupon_subsidy account to the merchant with
// the purchase; a merchant-funded discount moves no money (the merchant simply took
// less) but is recorded on each coupon with its funder.
func (s *Service) applyCoupons(ctx context.Context, tx pgx.Tx, holder uuid.UUID, pl org.Place, p *Purchase, ids []uuid.UUID) error {
	p.CouponDiscount = decimal.Zero
	if len(ids) == 0 {
		return nil
	}
	d, err := s.coupons.ValidateForPurchaseTx(ctx, tx, holder, pl.MerchantID, p.Payable, ids)
	if err != nil {
		return err
	}
	if err := s.coupons.ConsumeTx(ctx, tx, holder, d, couponRef(p.ID)); err != nil {
		return err
	}
	p.CouponDiscount = d.Total // never more than p.Payable: the lines are capped by it
	p.MallFunded = d.MallFunded()
	p.Payable = p.Payable.Sub(p.CouponDiscount)
	p.CouponIDs = ids
	return nil
}

// restoreCoupons gives back the coupons of a fully refunded purchase; the coupons
// context decides which are still valid (expired ones stay used).
func (s *Service) restoreCoupons(ctx context.Context, tx pgx.Tx, purchase uuid.UUID) ([]uuid.UUID, error) {
	return s.coupons.RestoreTx(ctx, tx, couponRef(purchase))
}

// couponRef is what a purchase's coupons are consumed under.
func couponRef(purchase uuid.UUID) string { return purchase.String() }
