package billing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/billing/alloc"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// Errors of payments and allocation.
var (
	ErrMethod        = errs.New(errs.KindUser, "PAYMENT_METHOD", "finance records BANK or CASH payments")
	ErrPaymentAmount = errs.New(errs.KindUser, "INVALID_AMOUNT", "the amount is positive, in yuan to the fen")
	ErrReceiptNo     = errs.New(errs.KindUser, "RECEIPT_NO_TAKEN", "this receipt number is used by another payment")
	ErrReversed      = errs.New(errs.KindUser, "PAYMENT_REVERSED", "the payment is reversed already")
	ErrNoCredit      = errs.New(errs.KindUser, "NO_TENANT_CREDIT", "the tenant has no credit to apply")
	// ErrCreditUsed: the credit a payment left was applied to bills since; reversing it
	// would take credit the tenant no longer has.
	ErrCreditUsed = errs.New(errs.KindUser, "PAYMENT_CREDIT_APPLIED",
		"the credit this payment left has been applied to bills since; it cannot be reversed")
	ErrField = errs.New(errs.KindUser, "INVALID_INPUT", "a reference or receipt number has at most 100 characters")
)

// Method is how a tenant paid.
type Method string

// The payment methods.
const (
	MethodBank   Method = "bank"   // bank transfer, entered by finance
	MethodCash   Method = "cash"   // cash at the counter, entered by finance
	MethodWeChat Method = "wechat" // WeChat Pay, settled by its notification
)

// receivedKind is the mall's account a method's money arrives in.
var receivedKind = map[Method]string{MethodBank: ledger.KindBank, MethodCash: ledger.KindCash,
	MethodWeChat: ledger.KindWeChatPay}

// PaymentStatus is where a payment stands.
type PaymentStatus string

// The payment statuses.
const (
	PaymentPosted   PaymentStatus = "posted"
	PaymentReversed PaymentStatus = "reversed"
)

// Payment is a tenant's payment and how it was allocated.
type Payment struct {
	ID, GroupID, MallID, MerchantID uuid.UUID
	Method                          Method
	Amount                          decimal.Decimal
	Credit                          decimal.Decimal // what it left over as tenant credit
	Reference, ReceiptNo            string
	ReceivedOn                      time.Time
	OrderID                         *uuid.UUID
	Status                          PaymentStatus
	CreatedAt                       time.Time
	ReversedAt                      *time.Time
	ReverseReason                   string
	hasReceipt                      bool
}

// Allocation is what a payment paid of one bill line.
type Allocation struct {
	ID, BillID, LineID uuid.UUID
	Code               string
	Amount             decimal.Decimal
	Reversed           bool
}

func paymentOf(r queries.BillingPayment) Payment {
	return Payment{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, MerchantID: r.MerchantID, Method: Method(r.Method),
		Amount: r.Amount, Credit: r.Credit, Reference: r.Reference, ReceiptNo: r.ReceiptNo, ReceivedOn: r.ReceivedOn,
		OrderID: r.OrderID, Status: PaymentStatus(r.Status), CreatedAt: r.CreatedAt, ReversedAt: r.ReversedAt,
		ReverseReason: r.ReverseReason, hasReceipt: r.ReceiptKey != ""}
}

// PaymentPostingKey is the key of a payment's posting; ReversalPostingKey its reversal's.
func PaymentPostingKey(id uuid.UUID) string { return "billing.payment:" + id.String() }

// ReversalPostingKey is the key of a payment reversal's posting.
func ReversalPostingKey(id uuid.UUID) string { return "billing.payment.reverse:" + id.String() }

// PaymentInput is a payment finance received: bank transfer or cash.
type PaymentInput struct {
	MerchantID     uuid.UUID
	Method         Method // MethodBank or MethodCash
	Amount         decimal.Decimal
	Reference      string    // the bank's reference, or ''
	ReceiptNo      string    // the paper receipt's number; '' = generated
	ReceivedOn     time.Time // the business date received (a calendar date)
	IdempotencyKey string
	// Parts, when non-nil, is finance's manual allocation (alloc.Manual) instead of the
	// waterfall; what the parts leave is tenant credit.
	Parts []alloc.Part
}

// RecordTenantPayment records a bank transfer or cash payment of a tenant, allocates it
// (the waterfall, or finance's parts) and posts it, exactly once per idempotency key:
// FINANCE or ADMIN of the merchant's mall.
func (s *Service) RecordTenantPayment(ctx context.Context, in PaymentInput) (Payment, error) {
	if in.Method != MethodBank && in.Method != MethodCash {
		return Payment{}, ErrMethod.At("input", "method")
	}
	pl, err := s.merchantAt(ctx, in.MerchantID, false)
	if err != nil {
		return Payment{}, err
	}
	p, _, err := once.Do(ctx, s.db, once.Op[Payment]{Name: "billing.payment", Key: in.IdempotencyKey, Args: in,
		Run: func(ctx context.Context, tx pgx.Tx) (Payment, error) {
			return s.recordPaymentTx(ctx, tx, pl, paymentRecord{method: in.Method, amount: in.Amount,
				reference: in.Reference, receiptNo: in.ReceiptNo, receivedOn: in.ReceivedOn, parts: in.Parts})
		}})
	return p, err
}

// paymentRecord is a payment to record in a transaction.
type paymentRecord struct {
	method               Method
	amount               decimal.Decimal
	reference, receiptNo string
	receivedOn           time.Time
	orderID              *uuid.UUID
	parts                []alloc.Part // manual allocation (nil: spread)
	firstBill            uuid.UUID    // spread pays this bill's lines first
}

// recordPaymentTx records, allocates and posts a payment of merchant pl under the
// merchant's allocation lock: Dr the mall's account of the method the amount; Cr the
// tenant receivable what was allocated; Cr tenant credit the rest.
func (s *Service) recordPaymentTx(ctx context.Context, tx pgx.Tx, pl org.Place, r paymentRecord) (Payment, error) {
	if !r.amount.IsPositive() || !r.amount.Equal(r.amount.Round(2)) {
		return Payment{}, ErrPaymentAmount.At("input", "amount")
	}
	if len(r.reference) > 100 || len(r.receiptNo) > 100 {
		return Payment{}, ErrField.At("input")
	}
	if _, err := lockMerchantTx(ctx, tx, pl.GroupID, pl.MerchantID); err != nil {
		return Payment{}, err
	}
	lines, err := openLinesTx(ctx, tx, pl.MerchantID)
	if err != nil {
		return Payment{}, err
	}
	var a alloc.Allocation
	if r.parts != nil {
		a, err = alloc.Manual(r.amount, items(lines), r.parts)
	} else {
		a, err = spread(r.amount, lines, r.firstBill)
	}
	if err != nil {
		return Payment{}, err
	}
	id := service.NewID()
	if r.receiptNo = strings.TrimSpace(r.receiptNo); r.receiptNo == "" {
		r.receiptNo = receiptNo(s.now().In(pl.Loc), id)
	}
	if r.receivedOn.IsZero() {
		r.receivedOn = s.now().In(pl.Loc)
	}
	on := time.Date(r.receivedOn.Year(), r.receivedOn.Month(), r.receivedOn.Day(), 0, 0, 0, 0, time.UTC)
	q := queries.New(tx)
	err = q.InsertPayment(ctx, queries.InsertPaymentParams{GroupID: pl.GroupID, MallID: pl.MallID, ID: id,
		MerchantID: pl.MerchantID, Method: string(r.method), Amount: r.amount, Credit: a.Credit, Reference: r.reference,
		ReceiptNo: r.receiptNo, ReceivedOn: on, OrderID: r.orderID, CreatedBy: viewerID(ctx), CreatedAt: s.now()})
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return Payment{}, ErrReceiptNo.At("input", "receiptNo")
	}
	if err != nil {
		return Payment{}, err
	}
	if _, err := s.ledger.PostManyTx(ctx, tx, pl.GroupID, []ledger.Posting{paymentPosting(pl, id, r, a)}); err != nil {
		return Payment{}, err
	}
	if err := moveLinesTx(ctx, tx, a, -1, lineMove{group: pl.GroupID, merchant: pl.MerchantID, on: on, kind: "payment",
		ref: id, at: s.now()}); err != nil {
		return Payment{}, err
	}
	if err := s.insertAllocationsTx(ctx, tx, pl.GroupID, pl.MerchantID, id, &id, a); err != nil {
		return Payment{}, err
	}
	if a.Credit.IsPositive() {
		if _, err := q.AddTenantCredit(ctx, a.Credit, pl.MerchantID); err != nil {
			return Payment{}, err
		}
	}
	_, err = notify.EnqueueTx(ctx, tx, notify.Event{GroupID: pl.GroupID, MallID: pl.MallID, Kind: notify.PaymentReceived,
		RecipientKind: notify.ToTenant, RecipientID: pl.MerchantID, DedupeKey: "billing.payment:" + id.String(),
		Payload: map[string]string{"amount": r.amount.StringFixed(2), "receipt": r.receiptNo}})
	if err != nil {
		return Payment{}, err
	}
	row, err := q.PaymentByID(ctx, id)
	return paymentOf(row), err
}

// paymentPosting is a payment's posting (its reversal is the same legs negated).
func paymentPosting(pl org.Place, id uuid.UUID, r paymentRecord, a alloc.Allocation) ledger.Posting {
	legs := []ledger.Leg{{Account: ledger.Received(receivedKind[r.method], pl.MallID), Amount: r.amount}}
	if got := a.Allocated(); got.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.TenantReceivable(pl.MerchantID), Amount: got.Neg()})
	}
	if a.Credit.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.TenantCredit(pl.MerchantID), Amount: a.Credit.Neg()})
	}
	return ledger.Posting{GroupID: pl.GroupID, Kind: ledger.PostingTenantPayment, Key: PaymentPostingKey(id),
		Memo: "tenant payment " + string(r.method), Legs: legs}
}

// receiptNo is a generated receipt number: R, the date, and the id's last 12 hex digits (its random part).
func receiptNo(day time.Time, id uuid.UUID) string {
	return fmt.Sprintf("R%s-%s", day.Format("20060102"), strings.ToUpper(id.String()[24:]))
}

// ReversePayment reverses a posted payment with a reason: its posting mirrored, its
// allocations given back to their lines exactly (alloc.Reverse), the credit it left
// taken back (ErrCreditUsed when that credit was applied since). FINANCE or ADMIN of
// its mall.
func (s *Service) ReversePayment(ctx context.Context, id uuid.UUID, reason string) (Payment, error) {
	if reason = strings.TrimSpace(reason); reason == "" || len([]rune(reason)) > 500 {
		return Payment{}, ErrReason.At("reason")
	}
	p, err := s.paymentForFinance(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	pl, err := s.org.MerchantPlace(ctx, nil, p.MerchantID)
	if err != nil {
		return Payment{}, err
	}
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockMerchantTx(ctx, tx, p.GroupID, p.MerchantID); err != nil {
			return err
		}
		q := queries.New(tx)
		row, err := q.LockPayment(ctx, id)
		if err != nil {
			return err
		}
		if row.Status != string(PaymentPosted) {
			return ErrReversed
		}
		allocs, err := q.AllocationsOfBatch(ctx, id)
		if err != nil {
			return err
		}
		a := alloc.Allocation{Credit: row.Credit}
		for _, x := range allocs {
			if x.ReversedAt == nil {
				a.Parts = append(a.Parts, alloc.Part{LineID: x.LineID.String(), BillID: x.BillID.String(), Code: x.Code,
					Amount: x.Amount})
			}
		}
		if row.Credit.IsPositive() {
			n, err := q.AddTenantCredit(ctx, row.Credit.Neg(), p.MerchantID)
			if err != nil {
				return err
			}
			if n == 0 {
				return ErrCreditUsed
			}
		}
		now := s.now()
		if err := moveLinesTx(ctx, tx, a, +1, lineMove{group: p.GroupID, merchant: p.MerchantID,
			on: localDay(now, pl.Loc), kind: "reversal", ref: id, at: now}); err != nil {
			return err
		}
		post := paymentPosting(pl, id, paymentRecord{method: Method(row.Method), amount: row.Amount}, a)
		for i := range post.Legs {
			post.Legs[i].Amount = post.Legs[i].Amount.Neg()
		}
		post.Kind, post.Key, post.Memo = ledger.PostingTenantPaymentReversal, ReversalPostingKey(id), "reversal: "+reason
		if _, err := s.ledger.PostManyTx(ctx, tx, p.GroupID, []ledger.Posting{post}); err != nil {
			return err
		}
		if err := q.MarkAllocationsReversed(ctx, &now, id); err != nil {
			return err
		}
		by := viewerID(ctx)
		_, err = q.ReversePayment(ctx, queries.ReversePaymentParams{ID: id, By: &by, At: &now, Reason: reason})
		return err
	})
	if err != nil {
		return Payment{}, err
	}
	return s.paymentRow(ctx, id)
}

func (s *Service) paymentRow(ctx context.Context, id uuid.UUID) (Payment, error) {
	r, err := queries.New(s.db.Pool).PaymentByID(ctx, id)
	if isNotFound(err) {
		return Payment{}, errs.ErrNotFound.Msgf("payment not found")
	}
	return paymentOf(r), err
}

// paymentForFinance reads a payment for FINANCE or ADMIN of its mall.
func (s *Service) paymentForFinance(ctx context.Context, id uuid.UUID) (Payment, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Payment{}, err
	}
	p, err := s.paymentRow(ctx, id)
	if err != nil {
		return Payment{}, errs.ErrForbidden
	}
	if _, err := s.mallAt(ctx, p.MallID); err != nil {
		return Payment{}, err
	}
	return p, nil
}

// Payment reads a payment: finance of its mall, or its tenant's TENANT_ADMIN.
func (s *Service) Payment(ctx context.Context, id uuid.UUID) (Payment, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Payment{}, err
	}
	p, err := s.paymentRow(ctx, id)
	if err != nil {
		return Payment{}, errs.ErrForbidden
	}
	return p, s.canSeeMerchant(ctx, p.MerchantID)
}

// Allocations lists what a readable payment paid, line by line (reversed ones marked).
func (s *Service) Allocations(ctx context.Context, p Payment) ([]Allocation, error) {
	if err := s.canSeeMerchant(ctx, p.MerchantID); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).AllocationsOfBatch(ctx, p.ID)
	out := make([]Allocation, len(rows))
	for i, r := range rows {
		out[i] = Allocation{ID: r.ID, BillID: r.BillID, LineID: r.LineID, Code: r.Code, Amount: r.Amount,
			Reversed: r.ReversedAt != nil}
	}
	return out, err
}

// PaymentFilter narrows a mall's payments.
type PaymentFilter struct {
	MerchantID uuid.UUID     // uuid.Nil: any
	Method     Method        // "": any
	Status     PaymentStatus // "": any
}

// TenantPayments lists a mall's tenant payments, newest first: FINANCE or ADMIN of it.
func (s *Service) TenantPayments(ctx context.Context, mallID uuid.UUID, f PaymentFilter, pr page.Request) (page.Result[Payment], error) {
	pl, err := s.mallAt(ctx, mallID)
	if err != nil {
		return page.Result[Payment]{}, err
	}
	p := queries.PaymentsOfMallParams{GroupID: pl.GroupID, MallID: mallID, After: pr.After, Max: int32(pr.Limit())}
	if f.MerchantID != uuid.Nil {
		p.MerchantID = &f.MerchantID
	}
	if f.Method != "" {
		p.Method = (*string)(&f.Method)
	}
	if f.Status != "" {
		p.Status = (*string)(&f.Status)
	}
	rows, err := queries.New(s.db.Pool).PaymentsOfMall(ctx, p)
	return paymentPage(pr, rows, err)
}

// MyPayments lists the calling TENANT_ADMIN's merchant's payments, newest first.
func (s *Service) MyPayments(ctx context.Context, pr page.Request) (page.Result[Payment], error) {
	merchant, err := tenantMerchant(ctx)
	if err != nil {
		return page.Result[Payment]{}, err
	}
	rows, err := queries.New(s.db.Pool).PaymentsOfMerchant(ctx, queries.PaymentsOfMerchantParams{MerchantID: merchant,
		After: pr.After, Max: int32(pr.Limit())})
	return paymentPage(pr, rows, err)
}

func paymentPage(pr page.Request, rows []queries.BillingPayment, err error) (page.Result[Payment], error) {
	if err != nil {
		return page.Result[Payment]{}, err
	}
	out := make([]Payment, len(rows))
	for i, r := range rows {
		out[i] = paymentOf(r)
	}
	return page.Cut(pr, out), nil
}

// canSeeMerchant: finance of the merchant's mall, or its TENANT_ADMIN.
func (s *Service) canSeeMerchant(ctx context.Context, merchant uuid.UUID) error {
	v, err := access.Viewer(ctx)
	if err != nil {
		return err
	}
	pl, err := s.org.MerchantPlace(ctx, nil, merchant)
	if err != nil {
		return errs.ErrForbidden
	}
	mall := pl.Ref()
	mall.MerchantID = uuid.Nil
	if v.Can(mall, financeRoles...) {
		return nil
	}
	return access.At(ctx, pl.Ref(), auth.RoleTenantAdmin)
}

func isNotFound(err error) bool { return errors.Is(storage.MapError(err), storage.ErrNotFound) }
