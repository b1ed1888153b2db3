package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
)

// RefundInput refunds (part of) a purchase at the merchant that recorded it.
type RefundInput struct {
	MerchantID     uuid.UUID
	ReceiptNo      string
	Amount         decimal.Decimal // of the payable amount; zero refunds all that is left
	IdempotencyKey string
	// CashTender is how the cash part is given back at the till (Tenders; "" is CASH).
	CashTender string
}

// Refund is what a refund gave back and took back.
type Refund struct {
	ID           uuid.UUID       `json:"id"`
	PurchaseID   uuid.UUID       `json:"purchaseId"`
	Amount       decimal.Decimal `json:"amount"`
	StoredValue  decimal.Decimal `json:"storedValue"`  // back to the card
	PointsBack   decimal.Decimal `json:"pointsBack"`   // offset points back, with their original expiry
	PointsClawed decimal.Decimal `json:"pointsClawed"` // earned points taken back
	Cash         decimal.Decimal `json:"cash"`         // for the merchant to return in cash
	// CouponsRestored are the purchase's coupons given back by a full refund.
	CouponsRestored []uuid.UUID `json:"couponsRestored"`
	// CouponFunding is the mall-funded coupon discount the merchant gives back to the
	// mall when the refund completes (the goods came back, so the subsidy is void).
	CouponFunding decimal.Decimal `json:"couponFunding"`
	earned        []earning
}

// RefundPurchase reverses the refunded share of every part of a purchase: stored value
// and points offset come back, earned points are clawed back (ledger.ClawbackTx rule),
// and the rest is cash. Shares are cumulative, so partial refunds add up exactly to
// the purchase. Idempotent per caller and key (once.Do "loyalty.refund"); only the merchant's staff may refund.
//
// Coupons: the refund that completes the purchase's refund (a full refund, or the last
// of several partial refunds that together refund all of it) restores the coupons the
// purchase used, through coupons.RestoreTx, which keeps those that have expired used.
// A refund that leaves part of the purchase unrefunded keeps its coupons used. The
// completing refund also reverses the mall-funded coupon discount the purchase posted to
// the merchant (whether or not the coupons could be restored: the goods came back). A
// purchase whose coupons covered all of it (payable 0) is refunded with amount 0 (or
// none): it gives no money back but restores the coupons and reverses the funding, once.
func (s *Service) RefundPurchase(ctx context.Context, in RefundInput) (Refund, error) {
	in.ReceiptNo = strings.TrimSpace(in.ReceiptNo)
	if err := money("input.amount", in.Amount, false); err != nil {
		return Refund{}, err
	}
	var err error
	if in.CashTender, err = validTender("input.cashTender", in.CashTender); err != nil {
		return Refund{}, err
	}
	var pl org.Place
	out, _, err := once.Do(ctx, s.db, once.Op[Refund]{Name: "loyalty.refund", Key: in.IdempotencyKey, Args: in,
		Authorize: s.atMerchant(&pl, in.MerchantID, cashierRoles...),
		Run:       func(ctx context.Context, tx pgx.Tx) (Refund, error) { return s.refundTx(ctx, tx, pl, in) }})
	if err != nil {
		return Refund{}, err
	}
	s.afterCommit(ctx, out.earned)
	return out, nil
}

// purchaseRow is what a refund needs of a purchase.
type purchaseRow struct {
	ID, Member, PayCard, Lot                  uuid.UUID
	Payable, SV, Points, PV, Earned, Refunded decimal.Decimal
	MallFunded                                decimal.Decimal
	Complete                                  bool // refunded completely
	Pieces                                    []ledger.Piece
}

func lockPurchase(ctx context.Context, tx pgx.Tx, merchant uuid.UUID, receipt string) (purchaseRow, error) {
	r, err := queries.New(tx).LockPurchase(ctx, merchant, receipt)
	if errors.Is(err, pgx.ErrNoRows) {
		return purchaseRow{}, ErrPurchaseNotFound.At("input", "receiptNo")
	}
	if err != nil {
		return purchaseRow{}, err
	}
	p := purchaseRow{ID: r.ID, Member: r.MemberID, PayCard: r.PayCardID, Payable: r.Payable, SV: r.StoredValue,
		Points: r.PointsUsed, PV: r.PointsValue, Earned: r.PointsEarned, Refunded: r.Refunded,
		MallFunded: r.MallFunded, Complete: r.RefundComplete}
	if r.EarnLotID != nil {
		p.Lot = *r.EarnLotID
	}
	return p, json.Unmarshal(r.PointsPieces, &p.Pieces)
}

func (s *Service) refundTx(ctx context.Context, tx pgx.Tx, pl org.Place, in RefundInput) (Refund, error) {
	p, err := lockPurchase(ctx, tx, pl.MerchantID, in.ReceiptNo)
	if err != nil {
		return Refund{}, err
	}
	left := p.Payable.Sub(p.Refunded)
	if in.Amount.IsZero() {
		in.Amount = left
	}
	switch {
	case p.Complete:
		return Refund{}, ErrRefundTooLarge.At("input", "amount").Msgf("the purchase is already refunded")
	case in.Amount.GreaterThan(left) || (!in.Amount.IsPositive() && left.IsPositive()):
		return Refund{}, ErrRefundTooLarge.At("input", "amount").Msgf("%s is left to refund", left)
	}
	card, err := currentCard(ctx, tx, p.PayCard)
	if err != nil {
		return Refund{}, err
	}
	if _, err := s.ledger.LockCardsTx(ctx, tx, card); err != nil {
		return Refund{}, err
	}
	after := p.Refunded.Add(in.Amount)
	part := func(total decimal.Decimal, places int32) decimal.Decimal {
		return share(total, after, p.Payable, places).Sub(share(total, p.Refunded, p.Payable, places))
	}
	r := Refund{ID: service.NewID(), PurchaseID: p.ID, Amount: in.Amount, StoredValue: part(p.SV, 2),
		PointsBack: part(p.Points, 0), PointsClawed: part(p.Earned, 0)}
	pv := part(p.PV, 2)
	r.Cash = in.Amount.Sub(r.StoredValue).Sub(pv)
	complete := after.Equal(p.Payable)
	if complete {
		r.CouponFunding = p.MallFunded
	}
	if err := s.giveBack(ctx, tx, pl, p, card, r, pv); err != nil {
		return r, err
	}
	if r.PointsClawed.IsPositive() {
		if _, err := s.ledger.ClawbackTx(ctx, tx, ledger.Clawback{GroupID: pl.GroupID, CardID: card,
			Points: r.PointsClawed, LotID: p.Lot, Key: "clawback:" + r.ID.String(), Memo: in.ReceiptNo}); err != nil {
			return r, err
		}
		e, err := recordEarning(ctx, tx, pl, p.Member, r.PointsClawed.Neg(), s.now())
		if err != nil {
			return r, err
		}
		r.earned = append(r.earned, e)
	}
	if complete {
		if r.CouponsRestored, err = s.restoreCoupons(ctx, tx, p.ID); err != nil {
			return r, err
		}
	}
	if err := saveRefund(ctx, tx, p.ID, r, complete, s); err != nil {
		return r, err
	}
	return r, s.refundedHooks(ctx, tx, RefundEvent{Place: pl, PurchaseID: p.ID, RefundID: r.ID, Amount: r.Amount,
		Before: p.Refunded, Payable: p.Payable, Cash: r.Cash, CashTender: in.CashTender, Stored: r.StoredValue,
		At: s.now()})
}

// giveBack returns stored value and offset points (with their original expiry) to the
// card, taking them from the merchant and the redeemed account, and gives a completing
// refund's mall-funded coupon discount back from the merchant to the mall.
func (s *Service) giveBack(ctx context.Context, tx pgx.Tx, pl org.Place, p purchaseRow, card uuid.UUID, r Refund, pv decimal.Decimal) error {
	var legs []ledger.Leg
	if r.StoredValue.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.Merchant(pl.MerchantID), Amount: r.StoredValue.Neg()},
			ledger.Leg{Account: ledger.Card(card, ledger.CNY), Amount: r.StoredValue})
	}
	if pv.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.Merchant(pl.MerchantID), Amount: pv.Neg()},
			ledger.Leg{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: pv})
	}
	if r.PointsBack.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: r.PointsBack.Neg()})
	}
	if r.CouponFunding.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.Merchant(pl.MerchantID), Amount: r.CouponFunding.Neg()},
			ledger.Leg{Account: ledger.System(ledger.KindCouponSubsidy, ledger.CNY), Amount: r.CouponFunding})
	}
	if len(legs) == 0 {
		return nil
	}
	done := share(p.Points, p.Refunded, p.Payable, 0)
	_, err := s.ledger.RestoreTx(ctx, tx, ledger.Posting{GroupID: pl.GroupID, Kind: "refund",
		Key: "refund:" + r.ID.String(), Legs: legs}, card, slicePieces(p.Pieces, done, r.PointsBack))
	return err
}
