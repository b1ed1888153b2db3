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
	"github.com/atrium-mall/atrium/storage"
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
	posting, ok := payment(pl, p)
	if !ok {
		return nil, nil
	}
	_, pieces, err := s.ledger.SpendTx(ctx, tx, posting, p.PayCardID, p.PointsUsed)
	return pieces, payErr(err)
}

// queuePay is pay queued in b, for a payment taking no points (nil: nothing to post).
func (s *Service) queuePay(ctx context.Context, b *storage.Batch, pl org.Place, p Purchase) (*ledger.QueuedPosting, error) {
	posting, ok := payment(pl, p)
	if !ok {
		return nil, nil
	}
	return s.ledger.QueuePostTx(ctx, b, posting)
}

// payment is the posting that pays for p without its points leg (ok false: nothing to post).
func payment(pl org.Place, p Purchase) (ledger.Posting, bool) {
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
	return ledger.Posting{GroupID: pl.GroupID, Kind: "purchase", Key: "purchase:" + p.ID.String(), Memo: p.ReceiptNo,
		Legs: legs}, len(legs) > 0
}

// payErr names a refused payment's error for the input.
func payErr(err error) error {
	switch {
	case errors.Is(err, ledger.ErrInsufficientPoint):
		return ErrInsufficientPoint.At("input", "points")
	case errors.Is(err, ledger.ErrInsufficient):
		return ErrInsufficient.At("input", "storedValue").Msgf("the stored value balance is not enough")
	}
	return err
}
