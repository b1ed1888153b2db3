// Package payments is the payments context: orders paid online with WeChat Pay (API v3,
// public-key mode), the notifications WeChat Pay sends about them, refunds, and the
// reconciliation of orders whose notification never came.
//
// Design notes:
//   - An order has a purpose (RECHARGE, BILL, …) and a reference (the card, the bill).
//     What a paid order does is its purpose's Settler's, registered by the composition
//     root (Register): SettleTx runs in the transaction that marks the order PAID, so the
//     effect commits exactly once with the transition; RefundTx in the transaction that
//     records a refund, before WeChat Pay is asked.
//   - Exactly once: the transition CREATED → PAID is a conditional UPDATE on the order,
//     locked FOR UPDATE by out_trade_no first, so five copies of one notification arriving
//     together mark it once; the others are recorded as duplicates. The reconciliation
//     job's query result goes through the very same path (settlePaid).
//   - Every notification is recorded in payment_notifications with its outcome: accepted,
//     duplicate or refused with the reason (bad signature, stale timestamp, an amount,
//     appid or mchid other than the order's, an unknown order).
//   - A paid order whose settler refuses its effect with a business error (the card was
//     frozen meanwhile, another recharge filled its cap) stays PAID with settle_error set:
//     the money arrived and is shown to finance, who refund it. The effect never half
//     happens: it runs under a savepoint.
package payments

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/payments/internal/queries"
	"github.com/atrium-mall/atrium/service/state"
	"github.com/atrium-mall/atrium/storage"
)

// Errors of the payments context.
var (
	ErrUnavailable = errs.New(errs.KindUser, "PAYMENTS_UNAVAILABLE", "online payment is not configured")
	ErrGateway     = errs.New(errs.KindUser, "PAYMENT_GATEWAY_ERROR", "WeChat Pay did not accept the request; try again")
	ErrTransition  = errs.New(errs.KindUser, "PAYMENT_ORDER_TRANSITION", "the payment order cannot do that now")
	ErrNotFound    = errs.ErrNotFound
	ErrRefundLarge = errs.New(errs.KindUser, "REFUND_EXCEEDS_PAYMENT", "the refund is more than what is left to refund")
	ErrNoOpenID    = errs.New(errs.KindUser, "WECHAT_NOT_BOUND", "the payer has no WeChat account bound to pay with")
	ErrPurpose     = errs.New(errs.KindUser, "PAYMENT_PURPOSE_UNKNOWN", "no settler is registered for this purpose")
	// ErrRechargeNotRefundable: loyalty has no path that takes a recharge back off a card
	// (only 退卡, cancelling the card, refunds its whole balance at the desk).
	ErrRechargeNotRefundable = errs.New(errs.KindUser, "RECHARGE_NOT_REFUNDABLE",
		"an online recharge is not refunded online: cancel the card at the service desk (退卡) to refund its balance")
)

// Status is a payment order's status.
type Status string

// Order statuses.
const (
	StatusCreated        Status = "CREATED"
	StatusPaid           Status = "PAID"
	StatusClosed         Status = "CLOSED"
	StatusPartlyRefunded Status = "PARTLY_REFUNDED"
	StatusRefunded       Status = "REFUNDED"
)

// Event moves an order.
type Event string

// Order events.
const (
	EventPay           Event = "pay"
	EventClose         Event = "close"
	EventRefundPart    Event = "refund_part"
	EventRefundRest    Event = "refund_rest"
	EventRequestRefund Event = "request_refund"
)

// orderMachine is the order's transition table; the conditional UPDATEs (MarkPaid,
// MarkClosed) stay the concurrency guard.
var orderMachine = state.New("payment order", ErrTransition, map[Event]map[Status]Status{
	EventPay:           {StatusCreated: StatusPaid},
	EventClose:         {StatusCreated: StatusClosed},
	EventRequestRefund: {StatusPaid: StatusPaid, StatusPartlyRefunded: StatusPartlyRefunded},
	EventRefundPart:    {StatusPaid: StatusPartlyRefunded, StatusPartlyRefunded: StatusPartlyRefunded},
	EventRefundRest:    {StatusPaid: StatusRefunded, StatusPartlyRefunded: StatusRefunded},
})

// Mode is how the payer pays: JSAPI (mini-program, tenant app) or NATIVE (a QR code).
type Mode string

// Modes.
const (
	ModeJSAPI  Mode = "JSAPI"
	ModeNative Mode = "NATIVE"
)

// PayerKind says who pays.
type PayerKind string

// Payer kinds.
const (
	PayerShopper  PayerKind = "shopper"
	PayerMerchant PayerKind = "merchant"
	PayerStaff    PayerKind = "staff"
)

// PurposeRecharge is a shopper's online recharge of a stored-value card (reference:
// the card).
const PurposeRecharge = "RECHARGE"

// Order is a payment order.
type Order struct {
	ID            uuid.UUID
	OutTradeNo    string
	GroupID       uuid.UUID
	MallID        uuid.UUID
	Purpose       string
	ReferenceID   uuid.UUID
	PayerKind     PayerKind
	PayerID       uuid.UUID
	Description   string
	AmountFen     int64
	RefundedFen   int64
	AppID, MchID  string
	Mode          Mode
	Status        Status
	CodeURL       string // NATIVE: the QR code's content
	ExpiresAt     time.Time
	TransactionID string
	PaidAt        *time.Time
	ClosedAt      *time.Time
	SettleError   string
	CreatedAt     time.Time
}

// Amount is the order's amount in yuan.
func (o Order) Amount() decimal.Decimal { return decimal.New(o.AmountFen, -2) }

// Refunded is what was refunded, in yuan.
func (o Order) Refunded() decimal.Decimal { return decimal.New(o.RefundedFen, -2) }

func toOrder(r queries.PaymentOrder) Order {
	return Order{ID: r.ID, OutTradeNo: r.OutTradeNo, GroupID: r.GroupID, MallID: r.MallID, Purpose: r.Purpose,
		ReferenceID: r.ReferenceID, PayerKind: PayerKind(r.PayerKind), PayerID: r.PayerID, Description: r.Description,
		AmountFen: r.AmountFen, RefundedFen: r.RefundedFen, AppID: r.Appid, MchID: r.Mchid, Mode: Mode(r.Mode),
		Status: Status(r.Status), CodeURL: deref(r.CodeUrl), ExpiresAt: r.ExpiresAt, TransactionID: deref(r.TransactionID),
		PaidAt: r.PaidAt, ClosedAt: r.ClosedAt, SettleError: deref(r.SettleError), CreatedAt: r.CreatedAt}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Settler is what a purpose does when its order is paid or refunded; the composition
// root registers one per purpose (Register).
type Settler interface {
	// SettleTx runs the effect of a paid order in the transaction that marks it PAID,
	// exactly once. A business error (errs.KindUser) leaves the order PAID with the
	// error recorded for finance (the effect is rolled back to a savepoint); any other
	// error rolls the whole notification back (WeChat Pay delivers it again).
	SettleTx(ctx context.Context, tx pgx.Tx, o Order) error
	// RefundTx runs when a refund of r.Amount is requested, in the transaction that
	// records it, before WeChat Pay is asked: it reverses the effect, or refuses the
	// refund with an error (nothing is asked of WeChat Pay then).
	RefundTx(ctx context.Context, tx pgx.Tx, o Order, r Refund) error
}

// Deps are what the payments context is built from; all are required.
type Deps struct {
	DB        *storage.DB
	Org       *org.Service
	Members   *members.Service // the payer's WeChat openid (JSAPI)
	Loyalty   *loyalty.Service // the rules of an online recharge
	WeChatPay *WeChatPay
	Now       func() time.Time
}

// Service is the payments context.
type Service struct {
	db       *storage.DB
	org      *org.Service
	members  *members.Service
	loyalty  *loyalty.Service
	pay      *WeChatPay
	now      func() time.Time
	mu       sync.RWMutex
	settlers map[string]Settler
}

// New returns the service (it panics when a dependency is missing).
func New(d Deps) *Service {
	service.MustDeps("payments", d)
	return &Service{db: d.DB, org: d.Org, members: d.Members, loyalty: d.Loyalty, pay: d.WeChatPay, now: d.Now,
		settlers: map[string]Settler{}}
}

// Register makes s the settler of purpose (upper case, e.g. "BILL"); the composition
// root calls it once per purpose after building both contexts.
func (s *Service) Register(purpose string, st Settler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settlers[purpose] = st
}

func (s *Service) settler(purpose string) (Settler, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.settlers[purpose]
	if !ok {
		return nil, ErrPurpose.Msgf("no settler is registered for purpose %s", purpose)
	}
	return st, nil
}

// Handler is the notification endpoint (mount at NotifyPath, POST).
func (s *Service) Handler() http.Handler { return http.HandlerFunc(s.serveNotify) }

// Fen converts an amount of yuan (at most two decimals, positive) to fen.
func Fen(field string, amount decimal.Decimal) (int64, error) {
	if !amount.IsPositive() || !amount.Equal(amount.Round(2)) || amount.GreaterThan(decimal.New(1, 9)) {
		return 0, errs.Invalid(field, "amount must be positive, in yuan with at most two decimals")
	}
	return amount.Shift(2).IntPart(), nil
}

// outNo is the 32 hex digits of id: an out_trade_no or out_refund_no.
func outNo(id uuid.UUID) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 32)
	for i, c := range id {
		b[2*i], b[2*i+1] = hex[c>>4], hex[c&15]
	}
	return string(b)
}

// viewerID is the calling viewer's id (uuid.Nil for jobs and notifications).
func viewerID(ctx context.Context) uuid.UUID {
	if v := auth.ViewerFrom(ctx); v != nil {
		return v.ID
	}
	return uuid.Nil
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errs.As(err); ok {
		return err
	}
	return fmt.Errorf("payments: %s: %w", what, err)
}
