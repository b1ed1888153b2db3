package payments

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/payments/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// DefaultExpiry is how long an order may be paid (WeChat Pay's time_expire).
const DefaultExpiry = 15 * time.Minute

// OrderInput is an order to create: what it pays for (Purpose, ReferenceID), who pays
// and how much. Billing creates BILL orders with it.
type OrderInput struct {
	MallID      uuid.UUID
	Purpose     string    // e.g. RECHARGE, BILL; a settler must be registered for it
	ReferenceID uuid.UUID // the card, the bill
	PayerKind   PayerKind
	PayerID     uuid.UUID
	OpenID      string // the payer's openid under the configured appid; JSAPI only
	Description string // shown to the payer by WeChat Pay (1–127 characters)
	Amount      decimal.Decimal
	Mode        Mode
	Expiry      time.Duration // 0: DefaultExpiry
}

var purposeRE = regexp.MustCompile(`^[A-Z][A-Z_]{1,31}$`)

// CreateOrderTx records a CREATED order in the caller's transaction (run it inside the
// caller's once.Do, after its own authorization: it checks no access itself). Ask WeChat
// Pay for it with Prepay after the commit.
func (s *Service) CreateOrderTx(ctx context.Context, tx pgx.Tx, in OrderInput) (Order, error) {
	fen, err := Fen("input.amount", in.Amount)
	if err != nil {
		return Order{}, err
	}
	switch {
	case !s.pay.On():
		return Order{}, ErrUnavailable
	case !purposeRE.MatchString(in.Purpose):
		return Order{}, fmt.Errorf("payments: purpose %q is not upper case", in.Purpose)
	case in.Mode != ModeJSAPI && in.Mode != ModeNative:
		return Order{}, errs.Invalid("input.mode", "mode must be JSAPI or NATIVE")
	case in.Mode == ModeJSAPI && in.OpenID == "":
		return Order{}, ErrNoOpenID
	case in.Description == "" || len(in.Description) > 127:
		return Order{}, errs.Invalid("input.description", "description must be 1 to 127 bytes")
	}
	if _, err := s.settler(in.Purpose); err != nil {
		return Order{}, err
	}
	pl, err := s.org.MallPlace(ctx, tx, in.MallID)
	if err != nil {
		return Order{}, wrap("mall", err)
	}
	if in.Expiry <= 0 {
		in.Expiry = DefaultExpiry
	}
	now := s.now()
	id := service.NewID()
	p := queries.InsertOrderParams{ID: id, OutTradeNo: outNo(id), GroupID: pl.GroupID, MallID: pl.MallID,
		Purpose: in.Purpose, ReferenceID: in.ReferenceID, PayerKind: string(in.PayerKind), PayerID: in.PayerID,
		Description: in.Description, AmountFen: fen, Appid: s.pay.cfg.AppID, Mchid: s.pay.cfg.MchID, Mode: string(in.Mode),
		ExpiresAt: now.Add(in.Expiry).Truncate(time.Second), CreatedAt: now}
	if in.OpenID != "" {
		p.Openid = &in.OpenID
	}
	if err := queries.New(tx).InsertOrder(ctx, p); err != nil {
		return Order{}, wrap("insert order", err)
	}
	return s.orderTx(ctx, tx, id)
}

// Prepaid is an order WeChat Pay knows: JSAPI carries what wx.requestPayment needs,
// CodeURL (NATIVE) the content of the QR code to show.
type Prepaid struct {
	Order   Order
	JSAPI   *JSAPIParams
	CodeURL string
}

// Prepay asks WeChat Pay for the order (again: WeChat Pay answers a repeat with the same
// prepay) and returns what the payer's client needs; JSAPI parameters are signed anew
// each time. An order no longer CREATED is returned as it is. No access check: the
// caller created the order.
func (s *Service) Prepay(ctx context.Context, orderID uuid.UUID) (Prepaid, error) {
	row, err := queries.New(s.db.Pool).OrderByID(ctx, orderID)
	if err != nil {
		return Prepaid{}, notFound(err)
	}
	o := toOrder(row)
	if o.Status != StatusCreated {
		return Prepaid{Order: o}, nil
	}
	req := prepayRequest{OutTradeNo: o.OutTradeNo, Description: o.Description, AmountFen: o.AmountFen,
		Expires: o.ExpiresAt, OpenID: deref(row.Openid)}
	out := Prepaid{Order: o}
	set := queries.SetPrepayParams{ID: o.ID}
	if o.Mode == ModeJSAPI {
		id, params, err := s.pay.prepayJSAPI(ctx, req)
		if err != nil {
			return out, gatewayErr(err)
		}
		out.JSAPI, set.PrepayID = &params, &id
	} else {
		url, err := s.pay.prepayNative(ctx, req)
		if err != nil {
			return out, gatewayErr(err)
		}
		out.CodeURL, out.Order.CodeURL, set.CodeUrl = url, url, &url
	}
	return out, wrap("store prepay", queries.New(s.db.Pool).SetPrepay(ctx, set))
}

func gatewayErr(err error) error {
	if errors.Is(err, ErrUnavailable) {
		return ErrUnavailable
	}
	return fmt.Errorf("%w (%v)", ErrGateway, err)
}

func notFound(err error) error {
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return ErrNotFound
	}
	return wrap("load order", err)
}

func (s *Service) orderTx(ctx context.Context, q storage.Querier, id uuid.UUID) (Order, error) {
	r, err := queries.New(q).OrderByID(ctx, id)
	if err != nil {
		return Order{}, notFound(err)
	}
	return toOrder(r), nil
}

// staffRoles may see a mall's orders and notifications and refund.
var staffRoles = []auth.Role{auth.RoleFinance, auth.RoleAdmin}

// Order returns an order to its payer (the shopper, or staff of the paying merchant)
// or to finance/admin staff of its mall; to anyone else it is not found.
func (s *Service) Order(ctx context.Context, id uuid.UUID) (Order, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Order{}, err
	}
	o, err := s.orderTx(ctx, s.db.Pool, id)
	if err != nil {
		return Order{}, err
	}
	if err := s.canSee(ctx, o); err != nil {
		return Order{}, ErrNotFound
	}
	return o, nil
}

// canSee decides whether the viewer may see o.
func (s *Service) canSee(ctx context.Context, o Order) error {
	if me, err := access.Shopper(ctx); err == nil {
		if o.PayerKind == PayerShopper && o.PayerID == me {
			return nil
		}
		return errs.ErrForbidden
	}
	if o.PayerKind == PayerMerchant {
		if mp, err := s.org.MerchantPlace(ctx, s.db.Pool, o.PayerID); err == nil &&
			access.At(ctx, mp.Ref(), auth.RoleTenantAdmin, auth.RoleMerchantStaff) == nil {
			return nil
		}
	}
	pl, err := s.org.MallPlace(ctx, s.db.Pool, o.MallID)
	if err != nil {
		return err
	}
	return access.At(ctx, pl.Ref(), staffRoles...)
}

// MyOrders lists the calling shopper's orders, newest first.
func (s *Service) MyOrders(ctx context.Context, p page.Request) (page.Result[Order], error) {
	me, err := access.Shopper(ctx)
	if err != nil {
		return page.Result[Order]{}, err
	}
	rows, err := queries.New(s.db.Pool).OrdersOfPayer(ctx, queries.OrdersOfPayerParams{PayerID: me,
		PayerKind: string(PayerShopper), After: after(p), Lim: int32(p.Limit())})
	return cutOrders(p, rows, err)
}

// OrderFilter narrows a mall's orders.
type OrderFilter struct {
	Status  Status // "": any
	Purpose string // "": any
}

// OrdersOfMall lists a mall's orders, newest first, to its finance or admin staff.
func (s *Service) OrdersOfMall(ctx context.Context, mallID uuid.UUID, f OrderFilter, p page.Request) (page.Result[Order], error) {
	if _, err := s.org.AtMall(ctx, mallID, staffRoles...); err != nil {
		return page.Result[Order]{}, err
	}
	rows, err := queries.New(s.db.Pool).OrdersOfMall(ctx, queries.OrdersOfMallParams{MallID: mallID,
		Status: optional(string(f.Status)), Purpose: optional(f.Purpose), After: after(p), Lim: int32(p.Limit())})
	return cutOrders(p, rows, err)
}

func cutOrders(p page.Request, rows []queries.PaymentOrder, err error) (page.Result[Order], error) {
	if err != nil {
		return page.Result[Order]{}, wrap("list orders", err)
	}
	out := make([]Order, len(rows))
	for i, r := range rows {
		out[i] = toOrder(r)
	}
	return page.Cut(p, out), nil
}

func after(p page.Request) *uuid.UUID {
	if p.After == uuid.Nil {
		return nil
	}
	return &p.After
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// NotificationRecord is one notification received (or one reconciliation query's
// result) and what became of it.
type NotificationRecord struct {
	ID             uuid.UUID
	MallID         *uuid.UUID
	Source         string // notify | query
	NotificationID string // WeChat Pay's id
	EventType      string
	OutTradeNo     string
	OutRefundNo    string
	Outcome        string // accepted | duplicate | refused
	Reason         string
	ReceivedAt     time.Time
}

// NotificationsOfMall lists the notifications attributed to a mall's orders, newest
// first (outcome "": all; "refused": the refused ones with their reasons), to its
// finance or admin staff.
func (s *Service) NotificationsOfMall(ctx context.Context, mallID uuid.UUID, outcome string, p page.Request) (page.Result[NotificationRecord], error) {
	if _, err := s.org.AtMall(ctx, mallID, staffRoles...); err != nil {
		return page.Result[NotificationRecord]{}, err
	}
	rows, err := queries.New(s.db.Pool).NotificationsOfMall(ctx, queries.NotificationsOfMallParams{MallID: &mallID,
		Outcome: optional(outcome), After: after(p), Lim: int32(p.Limit())})
	if err != nil {
		return page.Result[NotificationRecord]{}, wrap("list notifications", err)
	}
	out := make([]NotificationRecord, len(rows))
	for i, r := range rows {
		out[i] = NotificationRecord{ID: r.ID, MallID: r.MallID, Source: r.Source, NotificationID: r.NotificationID,
			EventType: r.EventType, OutTradeNo: deref(r.OutTradeNo), OutRefundNo: deref(r.OutRefundNo), Outcome: r.Outcome,
			Reason: r.Reason, ReceivedAt: r.ReceivedAt}
	}
	return page.Cut(p, out), nil
}
