package loyalty

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Tenders a purchase's cash part, a refund's cash part or a desk recharge may be paid
// with ("" means CASH): cash, a bank card, WeChat Pay or Alipay at the till.
var Tenders = []string{"CASH", "CARD", "WECHAT", "ALIPAY"}

// ErrLinesSum: the purchase lines do not add up to the purchase's amount.
var ErrLinesSum = errs.New(errs.KindUser, "PURCHASE_LINES_SUM_MISMATCH", "the lines' amounts must add up to the purchase amount")

// PurchaseLine is one product or service a purchase sold.
type PurchaseLine struct {
	Code     string          `json:"code"`     // product or service code of the merchant
	Category string          `json:"category"` // its category
	Quantity int32           `json:"quantity"` // items, at least 1
	Amount   decimal.Decimal `json:"amount"`   // before the tier discount, like PurchaseInput.Amount
}

// PurchaseEvent is what a Hook learns of a recorded purchase, in its transaction.
type PurchaseEvent struct {
	Place      org.Place // the merchant
	PurchaseID uuid.UUID
	ReceiptNo  string
	Cashier    uuid.UUID // the staff member who recorded it (uuid.Nil: not a staff viewer)
	ServedBy   uuid.UUID // uuid.Nil when not given
	Lines      []PurchaseLine
	Amount     decimal.Decimal // before the discount (the lines add up to it)
	Payable    decimal.Decimal // what the member owed after the discounts
	Cash       decimal.Decimal // paid at the till with CashTender
	CashTender string
	Stored     decimal.Decimal // paid from stored value
	At         time.Time
}

// RefundEvent is what a Hook learns of a refund, in its transaction. Shares are
// cumulative: the refund moves the purchase's refunded total from Before to
// Before+Amount out of Payable.
type RefundEvent struct {
	Place      org.Place
	PurchaseID uuid.UUID
	RefundID   uuid.UUID
	Cashier    uuid.UUID
	Amount     decimal.Decimal
	Before     decimal.Decimal
	Payable    decimal.Decimal
	Cash       decimal.Decimal // given back at the till with CashTender
	CashTender string
	Stored     decimal.Decimal // back to the card
	At         time.Time
}

// RechargeEvent is a desk recharge (RechargeCard) paid at the till.
type RechargeEvent struct {
	Place      org.Place // the mall
	RechargeID uuid.UUID
	Cashier    uuid.UUID
	Amount     decimal.Decimal
	Tender     string
	At         time.Time
}

// Hook is called inside the transaction of a purchase, a refund and a desk recharge,
// so what it records commits or rolls back with its cause (commissions, shifts). An
// error it returns fails the operation.
type Hook interface {
	PurchasedTx(ctx context.Context, tx pgx.Tx, e PurchaseEvent) error
	RefundedTx(ctx context.Context, tx pgx.Tx, e RefundEvent) error
	RechargedTx(ctx context.Context, tx pgx.Tx, e RechargeEvent) error
}

// AddHook adds a hook (not a Deps field: the contexts implementing it are built after
// this one). Set at start only.
func (s *Service) AddHook(h Hook) { s.hooks = append(s.hooks, h) }

// validTender checks a tender ("" is CASH) and returns it.
func validTender(field, t string) (string, error) {
	if t == "" {
		return "CASH", nil
	}
	if !slices.Contains(Tenders, t) {
		return t, errs.Invalid(field, "tender must be one of %s", strings.Join(Tenders, ", "))
	}
	return t, nil
}

// validLines checks lines against the purchase amount: each line a code of 1 to 64
// characters, a quantity of at least 1, a non-negative amount; together the amount.
func validLines(lines []PurchaseLine, amount decimal.Decimal) error {
	if len(lines) == 0 {
		return nil
	}
	if len(lines) > 100 {
		return errs.Invalid("input.lines", "at most 100 lines")
	}
	sum := decimal.Zero
	for i := range lines {
		l := &lines[i]
		l.Code, l.Category = strings.TrimSpace(l.Code), strings.TrimSpace(l.Category)
		switch {
		case l.Code == "" || len(l.Code) > 64:
			return errs.Invalid("input.lines", "line %d: code must be 1 to 64 characters", i+1)
		case len(l.Category) > 64:
			return errs.Invalid("input.lines", "line %d: category of at most 64 characters", i+1)
		case l.Quantity < 1 || l.Quantity > 100000:
			return errs.Invalid("input.lines", "line %d: quantity must be 1 to 100000", i+1)
		}
		if err := money("input.lines", l.Amount, false); err != nil {
			return err
		}
		sum = sum.Add(l.Amount)
	}
	if !sum.Equal(amount) {
		return ErrLinesSum.At("input", "lines").Msgf("the lines add up to %s, the purchase amount is %s",
			sum.StringFixed(2), amount.StringFixed(2))
	}
	return nil
}

// queueLines queues the purchase's lines into its batch (one fixed-shape statement per
// line, so no round trip is added).
func queueLines(ctx context.Context, b *storage.Batch, pl org.Place, purchase uuid.UUID, in PurchaseInput) {
	served := nilIfZero(in.ServedBy)
	for i, l := range in.Lines {
		b.Queue(func(q storage.Querier) {
			_ = queries.New(q).InsertPurchaseLine(ctx, queries.InsertPurchaseLineParams{GroupID: pl.GroupID,
				PurchaseID: purchase, LineNo: int32(i + 1), Code: l.Code, Category: l.Category, Quantity: l.Quantity,
				Amount: l.Amount, ServedBy: served})
		})
	}
}

// cashier is the staff viewer doing the operation (uuid.Nil for another viewer).
func cashier(ctx context.Context) uuid.UUID {
	if v := auth.ViewerFrom(ctx); v != nil && v.Kind == auth.KindStaff {
		return v.ID
	}
	return uuid.Nil
}

func (s *Service) purchasedHooks(ctx context.Context, tx pgx.Tx, pl org.Place, p Purchase, in PurchaseInput) error {
	e := PurchaseEvent{Place: pl, PurchaseID: p.ID, ReceiptNo: p.ReceiptNo, Cashier: cashier(ctx), ServedBy: in.ServedBy,
		Lines: in.Lines, Amount: p.Amount, Payable: p.Payable, Cash: p.Cash, CashTender: in.CashTender,
		Stored: p.StoredValue, At: p.CreatedAt}
	for _, h := range s.hooks {
		if err := h.PurchasedTx(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) refundedHooks(ctx context.Context, tx pgx.Tx, e RefundEvent) error {
	e.Cashier = cashier(ctx)
	for _, h := range s.hooks {
		if err := h.RefundedTx(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) rechargedHooks(ctx context.Context, tx pgx.Tx, e RechargeEvent) error {
	e.Cashier = cashier(ctx)
	for _, h := range s.hooks {
		if err := h.RechargedTx(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}
