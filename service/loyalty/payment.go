package loyalty

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
)

// discountRate is the member's tier rate, or the discount card's (cardRate, nil for
// other cards) when that is better.
func discountRate(tier *Tier, cardRate *decimal.Decimal) decimal.Decimal {
	rate := decimal.NewFromInt(1)
	if tier != nil {
		rate = tier.DiscountRate
	}
	if cardRate != nil && cardRate.LessThan(rate) {
		rate = *cardRate
	}
	return rate
}

// spendLimit checks a supplementary card's stored-value spending of the business day.
func spendLimit(ctx context.Context, tx pgx.Tx, c members.Card, loc *time.Location, now time.Time, amount decimal.Decimal) error {
	if !c.Supplementary() || c.SpendLimit == nil || !amount.IsPositive() {
		return nil
	}
	spent, err := queries.New(tx).CardStoredValueSince(ctx, c.ID, calendar.StartOfDay(now, loc))
	if err != nil {
		return err
	}
	if spent.Add(amount).GreaterThan(*c.SpendLimit) {
		return ErrSpendLimit.At("input", "storedValue").Msgf("spent %s of %s today", spent, *c.SpendLimit)
	}
	return nil
}

// pay posts the stored value, the points offset and the mall-funded coupon discount of
// p to the merchant, in one posting.
func (s *Service) pay(ctx context.Context, tx pgx.Tx, pl org.Place, p Purchase) ([]ledger.Piece, error) {
	var legs []ledger.Leg
	if p.StoredValue.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.Card(p.PayCardID, ledger.CNY), Amount: p.StoredValue.Neg()},
			ledger.Leg{Account: ledger.Merchant(pl.MerchantID), Amount: p.StoredValue})
	}
	if p.PointsUsed.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: p.PointsUsed})
	}
	if p.PointsValue.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: p.PointsValue.Neg()},
			ledger.Leg{Account: ledger.Merchant(pl.MerchantID), Amount: p.PointsValue})
	}
	if p.MallFunded.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.System(ledger.KindCouponSubsidy, ledger.CNY), Amount: p.MallFunded.Neg()},
			ledger.Leg{Account: ledger.Merchant(pl.MerchantID), Amount: p.MallFunded})
	}
	if len(legs) == 0 {
		return nil, nil
	}
	_, pieces, err := s.ledger.SpendTx(ctx, tx, ledger.Posting{GroupID: pl.GroupID, Kind: "purchase",
		Key: "purchase:" + p.ID.String(), Memo: p.ReceiptNo, Legs: legs}, p.PayCardID, p.PointsUsed)
	switch {
	case errors.Is(err, ledger.ErrInsufficientPoint):
		return nil, ErrInsufficientPoint.At("input", "points")
	case errors.Is(err, ledger.ErrInsufficient):
		return nil, ErrInsufficient.At("input", "storedValue").Msgf("the stored value balance is not enough")
	}
	return pieces, err
}
