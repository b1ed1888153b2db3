package loyalty

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
)

// PurchaseInput is a purchase merchant staff record for a member.
type PurchaseInput struct {
	MerchantID     uuid.UUID
	CardNumber     string          // the card presented, or
	MemberID       uuid.UUID       // the member (resolved by the caller from a member code)
	PayCardID      uuid.UUID       // with MemberID: the member's card to pay from (uuid.Nil: PayCard chooses)
	Amount         decimal.Decimal // before the tier discount
	ReceiptNo      string          // unique per merchant
	StoredValue    decimal.Decimal // to pay from stored value
	Points         decimal.Decimal // points offset (whole points)
	CouponIDs      []uuid.UUID     // the presenting member's coupons, applied after the tier discount
	IdempotencyKey string
	// ServedBy is the staff member of the merchant who served (commissions); optional.
	ServedBy uuid.UUID
	// Lines are what was sold (optional); their amounts add up to Amount
	// (PURCHASE_LINES_SUM_MISMATCH otherwise).
	Lines []PurchaseLine
	// CashTender is what the cash part was paid with at the till (Tenders; "" is CASH).
	CashTender string
}

// Purchase is a recorded purchase.
type Purchase struct {
	ID           uuid.UUID       `json:"id"`
	MerchantID   uuid.UUID       `json:"merchantId"`
	MallID       uuid.UUID       `json:"mallId"`
	ReceiptNo    string          `json:"receiptNo"`
	MemberID     uuid.UUID       `json:"memberId"`
	CardID       uuid.UUID       `json:"cardId"`
	PayCardID    uuid.UUID       `json:"payCardId"`
	Amount       decimal.Decimal `json:"amount"`
	DiscountRate decimal.Decimal `json:"discountRate"`
	// CouponDiscount is what the coupons (CouponIDs) took off after the tier discount.
	CouponDiscount decimal.Decimal `json:"couponDiscount"`
	CouponIDs      []uuid.UUID     `json:"couponIds"`
	// MallFunded is the part of CouponDiscount the mall pays the merchant.
	MallFunded   decimal.Decimal `json:"mallFunded"`
	Payable      decimal.Decimal `json:"payable"` // after the tier discount and the coupons
	StoredValue  decimal.Decimal `json:"storedValue"`
	PointsUsed   decimal.Decimal `json:"pointsUsed"`
	PointsValue  decimal.Decimal `json:"pointsValue"`
	Cash         decimal.Decimal `json:"cash"`
	PointsEarned decimal.Decimal `json:"pointsEarned"`
	TierID       *uuid.UUID      `json:"tierId"`
	Upgraded     bool            `json:"upgraded"`
	CreatedAt    time.Time       `json:"createdAt"`
	Replayed     bool            `json:"-"`
	earned       []earning
}

// earning is a leaderboard change to apply after commit.
type earning struct {
	MallID, MemberID uuid.UUID
	Month            string
	Points           decimal.Decimal
	TxID             int64 // the PostgreSQL transaction that recorded it
}

func (in *PurchaseInput) validate() error {
	in.ReceiptNo = strings.TrimSpace(in.ReceiptNo)
	if err := money("input.amount", in.Amount, true); err != nil {
		return err
	}
	if err := money("input.storedValue", in.StoredValue, false); err != nil {
		return err
	}
	if err := points("input.points", in.Points, false); err != nil {
		return err
	}
	if in.ReceiptNo == "" || len(in.ReceiptNo) > 64 {
		return errs.Invalid("input.receiptNo", "receipt number must be 1 to 64 characters")
	}
	if (in.CardNumber == "") == (in.MemberID == uuid.Nil) {
		return errs.Invalid("input.cardNumber", "give a card number or a member, not both")
	}
	if in.PayCardID != uuid.Nil && in.MemberID == uuid.Nil {
		return errs.Invalid("input.payCardId", "a card to pay from goes with a member; a presented card pays itself")
	}
	var err error
	if in.CashTender, err = validTender("input.cashTender", in.CashTender); err != nil {
		return err
	}
	return validLines(in.Lines, in.Amount)
}

// RecordPurchase records a purchase at a merchant for a member: tier (or discount
// card) discount, coupons (see applyCoupons), payment from stored value and/or a points offset, points earned,
// referral reward, tier upgrade — one transaction, idempotent per caller and key
// (once.Do "loyalty.purchase"). Only the merchant's staff (or admins over it) may
// record purchases there.
func (s *Service) RecordPurchase(ctx context.Context, in PurchaseInput) (Purchase, error) {
	if err := in.validate(); err != nil {
		return Purchase{}, err
	}
	var pl org.Place
	out, replayed, err := once.Do(ctx, s.db, once.Op[Purchase]{Name: "loyalty.purchase", Key: in.IdempotencyKey,
		Args: in, AuthorizeQueued: s.atMerchantQueued(&pl, in.MerchantID, cashierRoles...),
		Run: func(ctx context.Context, tx pgx.Tx) (Purchase, error) {
			if pl.Status != "active" {
				return Purchase{}, ErrMerchantInactive
			}
			return s.purchaseTx(ctx, tx, pl, in)
		}})
	out.Replayed = replayed
	if err != nil {
		return Purchase{}, err
	}
	s.afterCommit(ctx, out.earned)
	return out, nil
}
