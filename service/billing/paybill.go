package billing

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/payments"
)

// PurposeBill is the payment purpose of a bill paid with WeChat Pay (reference: the bill).
const PurposeBill = "BILL"

// Errors of paying a bill online.
var (
	ErrNothingOwed = errs.New(errs.KindUser, "BILL_NOTHING_OWED", "nothing is outstanding on this bill")
	ErrOpenID      = errs.New(errs.KindUser, "INVALID_OPENID", "the payer's WeChat openid is needed to pay in the app")
	// ErrBillRefund: a bill payment is not refunded through WeChat Pay: finance reverses
	// the payment (reversePayment) and refunds in the merchant platform.
	ErrBillRefund = errs.New(errs.KindUser, "BILL_PAYMENT_NOT_REFUNDABLE",
		"a bill payment is reversed by finance (reversePayment), not refunded online")
)

// PayBill starts the calling tenant's WeChat Pay payment of what it owes on one of its
// issued bills (its outstanding now): a BILL order paid with JSAPI by openID (the
// tenant app's user under the configured appid), and the parameters of
// wx.requestPayment. TENANT_ADMIN of the bill's merchant; once per idempotency key.
func (s *Service) PayBill(ctx context.Context, billID uuid.UUID, openID, key string) (payments.Prepaid, error) {
	if openID == "" || len(openID) > 128 {
		return payments.Prepaid{}, ErrOpenID.At("openId")
	}
	merchant, err := tenantMerchant(ctx)
	if err != nil {
		return payments.Prepaid{}, err
	}
	return s.startBillOrder(ctx, billID, key, payments.ModeJSAPI, openID, func(b Bill) error {
		if b.MerchantID != merchant {
			return errs.ErrForbidden
		}
		return nil
	})
}

// BillPaymentQR starts a WeChat Pay payment of an issued bill's outstanding as a Native
// order, for finance to show its QR code (code_url) at the counter: FINANCE or ADMIN of
// the bill's mall; once per idempotency key.
func (s *Service) BillPaymentQR(ctx context.Context, billID uuid.UUID, key string) (payments.Prepaid, error) {
	return s.startBillOrder(ctx, billID, key, payments.ModeNative, "", func(b Bill) error {
		_, err := s.mallAt(ctx, b.MallID)
		return err
	})
}

// startBillOrder creates a BILL order of the bill's outstanding in once.Do
// ("billing.pay") after allow checks the caller, then prepays it.
func (s *Service) startBillOrder(ctx context.Context, billID uuid.UUID, key string, mode payments.Mode, openID string,
	allow func(Bill) error) (payments.Prepaid, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return payments.Prepaid{}, err
	}
	type args struct {
		Bill   uuid.UUID
		Mode   payments.Mode
		OpenID string
	}
	var b Bill
	o, _, err := once.Do(ctx, s.db, once.Op[payments.Order]{Name: "billing.pay", Key: key,
		Args: args{billID, mode, openID},
		Authorize: func(ctx context.Context, tx pgx.Tx) error {
			r, err := queries.New(tx).BillByID(ctx, billID)
			if err != nil {
				return errs.ErrForbidden
			}
			b = billOf(r)
			if err := allow(b); err != nil {
				return err
			}
			switch {
			case b.Status != BillIssued:
				return ErrBillStatus.At("billId")
			case !b.Outstanding.IsPositive():
				return ErrNothingOwed.At("billId")
			}
			return nil
		},
		Run: func(ctx context.Context, tx pgx.Tx) (payments.Order, error) {
			pl, err := s.org.MallPlace(ctx, tx, b.MallID)
			if err != nil {
				return payments.Order{}, err
			}
			return s.payments.CreateOrderTx(ctx, tx, payments.OrderInput{MallID: b.MallID, Purpose: PurposeBill,
				ReferenceID: b.ID, PayerKind: payments.PayerMerchant, PayerID: b.MerchantID, OpenID: openID, Mode: mode,
				Amount: b.Outstanding, Description: fmt.Sprintf("%s 账单 %s (bill)", pl.MallName, b.Period)})
		}})
	if err != nil {
		return payments.Prepaid{}, err
	}
	return s.payments.Prepay(ctx, o.ID)
}

// BillSettler settles BILL orders: the paid order becomes a WECHAT payment of the bill's
// merchant, allocated to that bill's lines first, then by the waterfall over its other
// open lines, the rest tenant credit — in the transaction that marks the order PAID, so
// exactly once (billing_payments.order_id is unique besides).
type BillSettler struct{ Billing *Service }

// SettleTx records the payment.
func (st BillSettler) SettleTx(ctx context.Context, tx pgx.Tx, o payments.Order) error {
	s := st.Billing
	r, err := queries.New(tx).BillByID(ctx, o.ReferenceID)
	if err != nil {
		return fmt.Errorf("billing: bill of order %s: %w", o.OutTradeNo, err)
	}
	pl, err := s.org.MerchantPlace(ctx, tx, r.MerchantID)
	if err != nil {
		return err
	}
	paid := s.now()
	if o.PaidAt != nil {
		paid = *o.PaidAt
	}
	_, err = s.recordPaymentTx(ctx, tx, pl, paymentRecord{method: MethodWeChat, amount: o.Amount(),
		reference: o.TransactionID, receivedOn: paid.In(pl.Loc), orderID: &o.ID, firstBill: r.ID})
	return err
}

// RefundTx refuses: finance reverses a bill payment (ReversePayment) instead.
func (BillSettler) RefundTx(context.Context, pgx.Tx, payments.Order, payments.Refund) error {
	return ErrBillRefund
}
