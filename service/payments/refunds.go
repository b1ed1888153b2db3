package payments

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/payments/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// RefundStatus is a refund's status here: PENDING until WeChat Pay says SUCCESS
// (SUCCEEDED) or CLOSED/ABNORMAL (FAILED).
type RefundStatus string

// Refund statuses.
const (
	RefundPending   RefundStatus = "PENDING"
	RefundSucceeded RefundStatus = "SUCCEEDED"
	RefundFailed    RefundStatus = "FAILED"
)

// Refund is a refund of a paid order.
type Refund struct {
	ID           uuid.UUID    `json:"id"`
	OutRefundNo  string       `json:"outRefundNo"`
	OrderID      uuid.UUID    `json:"orderId"`
	AmountFen    int64        `json:"amountFen"`
	Reason       string       `json:"reason"`
	Status       RefundStatus `json:"status"`
	WeChatStatus string       `json:"wechatStatus"`
	CreatedAt    time.Time    `json:"createdAt"`
	FinishedAt   *time.Time   `json:"finishedAt"`
}

// Amount is the refund in yuan.
func (r Refund) Amount() decimal.Decimal { return decimal.New(r.AmountFen, -2) }

func toRefund(r queries.PaymentRefund) Refund {
	return Refund{ID: r.ID, OutRefundNo: r.OutRefundNo, OrderID: r.OrderID, AmountFen: r.AmountFen, Reason: r.Reason,
		Status: RefundStatus(r.Status), WeChatStatus: deref(r.WechatStatus), CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt}
}

// RefundInput refunds Amount (yuan) of a paid order.
type RefundInput struct {
	OrderID        uuid.UUID
	Amount         decimal.Decimal
	Reason         string
	IdempotencyKey string
}

// RefundPayment records a refund of a paid order (finance or admin staff of its mall;
// idempotent per caller and key, once.Do "payments.refund"), lets the purpose's
// settler reverse its effect or refuse in the same transaction, then asks WeChat Pay.
// WeChat Pay answers the refund later (a notification, or the reconciliation job's
// query); a request that did not reach it is sent again by the job.
func (s *Service) RefundPayment(ctx context.Context, in RefundInput) (Refund, error) {
	fen, err := Fen("input.amount", in.Amount)
	if err != nil {
		return Refund{}, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || len(in.Reason) > 80 {
		return Refund{}, errs.Invalid("input.reason", "reason must be 1 to 80 bytes")
	}
	var o Order
	r, _, err := once.Do(ctx, s.db, once.Op[Refund]{Name: "payments.refund", Key: in.IdempotencyKey, Args: in,
		Authorize: func(ctx context.Context, tx pgx.Tx) error {
			row, err := queries.New(tx).OrderByIDForUpdate(ctx, in.OrderID)
			if err != nil {
				return notFound(err)
			}
			o = toOrder(row)
			pl, err := s.org.MallPlace(ctx, tx, o.MallID)
			if err != nil {
				return wrap("mall", err)
			}
			if access.At(ctx, pl.Ref(), staffRoles...) != nil {
				if _, verr := access.Viewer(ctx); verr != nil {
					return verr
				}
				return ErrNotFound
			}
			return nil
		},
		Run: func(ctx context.Context, tx pgx.Tx) (Refund, error) { return s.refundTx(ctx, tx, o, fen, in.Reason) }})
	if err != nil {
		return Refund{}, err
	}
	if r.Status == RefundPending {
		s.sendRefund(ctx, o, r) // a failure leaves it PENDING for the job
	}
	return s.refund(ctx, r.ID)
}

func (s *Service) refundTx(ctx context.Context, tx pgx.Tx, o Order, fen int64, reason string) (Refund, error) {
	if _, err := orderMachine.Next(EventRequestRefund, o.Status); err != nil {
		return Refund{}, err
	}
	q := queries.New(tx)
	taken, err := q.PendingRefundFen(ctx, o.ID)
	if err != nil {
		return Refund{}, wrap("refunds of order", err)
	}
	if left := o.AmountFen - taken; fen > left {
		return Refund{}, ErrRefundLarge.At("input", "amount").Msgf("at most %s is left to refund",
			decimal.New(left, -2).StringFixed(2))
	}
	id := service.NewID()
	r := Refund{ID: id, OutRefundNo: outNo(id), OrderID: o.ID, AmountFen: fen, Reason: reason, Status: RefundPending,
		CreatedAt: s.now()}
	if err := q.InsertRefund(ctx, queries.InsertRefundParams{ID: id, OutRefundNo: r.OutRefundNo, OrderID: o.ID,
		GroupID: o.GroupID, MallID: o.MallID, AmountFen: fen, Reason: reason, RequestedBy: viewerID(ctx),
		CreatedAt: r.CreatedAt}); err != nil {
		return Refund{}, wrap("insert refund", err)
	}
	st, err := s.settler(o.Purpose)
	if err != nil {
		return Refund{}, err
	}
	return r, st.RefundTx(ctx, tx, o, r)
}

// sendRefund asks WeChat Pay for r and stores its refund id; errors are left to the
// reconciliation job (the refund stays PENDING).
func (s *Service) sendRefund(ctx context.Context, o Order, r Refund) {
	rs, err := s.pay.refund(ctx, o.OutTradeNo, r.OutRefundNo, r.Reason, r.AmountFen, o.AmountFen)
	if err != nil || rs.RefundID == "" {
		return
	}
	_ = queries.New(s.db.Pool).SetRefundID(ctx, queries.SetRefundIDParams{ID: r.ID, RefundID: &rs.RefundID,
		WechatStatus: optional(rs.status())})
}

func (s *Service) refund(ctx context.Context, id uuid.UUID) (Refund, error) {
	r, err := queries.New(s.db.Pool).RefundByID(ctx, id)
	if err != nil {
		return Refund{}, wrap("load refund", err)
	}
	return toRefund(r), nil
}

// RefundsOf lists an order's refunds to whoever may see the order.
func (s *Service) RefundsOf(ctx context.Context, orderID uuid.UUID) ([]Refund, error) {
	if _, err := s.Order(ctx, orderID); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).RefundsOfOrder(ctx, orderID)
	if err != nil {
		return nil, wrap("list refunds", err)
	}
	out := make([]Refund, len(rows))
	for i, r := range rows {
		out[i] = toRefund(r)
	}
	return out, nil
}

// finishRefund applies WeChat Pay's final word on a refund (a notification's, or the
// reconciliation query's) once: SUCCESS adds the amount to the order's refunded total
// (PARTLY_REFUNDED or REFUNDED); CLOSED and ABNORMAL mark it FAILED.
func (s *Service) finishRefund(ctx context.Context, rec record, rs RefundState, verr error) (Result, error) {
	rec.outTradeNo, rec.outRefundNo = rs.OutTradeNo, rs.OutRefundNo
	var res Result
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		res = Result{}
		q := queries.New(tx)
		row, err := q.RefundByOutRefundNoForUpdate(ctx, rs.OutRefundNo)
		if errors.Is(storage.MapError(err), storage.ErrNotFound) {
			res = refused("unknown out_refund_no %q", rs.OutRefundNo)
			res.Unverified = verr != nil
			return s.recordTx(ctx, tx, rec, res)
		} else if err != nil {
			return wrap("lock refund", err)
		}
		r := toRefund(row)
		orow, err := q.OrderByIDForUpdate(ctx, r.OrderID)
		if err != nil {
			return wrap("lock order", err)
		}
		o := toOrder(orow)
		rec.group, rec.mall, rec.outTradeNo = &o.GroupID, &o.MallID, o.OutTradeNo
		status := rs.status()
		switch {
		case verr != nil:
			res = Result{Outcome: OutcomeRefused, Reason: verr.Error(), Unverified: true}
		case rs.MchID != "" && rs.MchID != o.MchID:
			res = refused("mchid %q is not the order's %q", rs.MchID, o.MchID)
		case rs.Amount.Refund != r.AmountFen:
			res = refused("refund amount %d fen is not the refund's %d fen", rs.Amount.Refund, r.AmountFen)
		case rs.OutTradeNo != "" && rs.OutTradeNo != o.OutTradeNo:
			res = refused("out_trade_no %q is not the refund's order %q", rs.OutTradeNo, o.OutTradeNo)
		case r.Status != RefundPending:
			res = Result{Outcome: OutcomeDuplicate}
		case status == "SUCCESS":
			res, err = s.refundSucceeded(ctx, tx, o, r, rs)
		case status == "CLOSED" || status == "ABNORMAL":
			res, err = s.refundEnded(ctx, tx, r, rs, RefundFailed)
		default:
			res = refused("refund status %q is not final", status)
		}
		if err != nil {
			return err
		}
		return s.recordTx(ctx, tx, rec, res)
	})
	return res, err
}

func (s *Service) refundSucceeded(ctx context.Context, tx pgx.Tx, o Order, r Refund, rs RefundState) (Result, error) {
	ev := EventRefundPart
	if o.RefundedFen+r.AmountFen == o.AmountFen {
		ev = EventRefundRest
	}
	if _, err := orderMachine.Next(ev, o.Status); err != nil {
		return Result{}, err
	}
	res, err := s.refundEnded(ctx, tx, r, rs, RefundSucceeded)
	if err != nil || res.Outcome != OutcomeAccepted {
		return res, err
	}
	return res, wrap("order refunded", queries.New(tx).AddRefunded(ctx, r.AmountFen, o.ID))
}

func (s *Service) refundEnded(ctx context.Context, tx pgx.Tx, r Refund, rs RefundState, to RefundStatus) (Result, error) {
	now := s.now()
	n, err := queries.New(tx).FinishRefund(ctx, queries.FinishRefundParams{ID: r.ID, Status: string(to),
		RefundID: optional(rs.RefundID), WechatStatus: optional(rs.status()), FinishedAt: &now})
	if err != nil {
		return Result{}, wrap("finish refund", err)
	}
	if n == 0 {
		return Result{Outcome: OutcomeDuplicate}, nil
	}
	return Result{Outcome: OutcomeAccepted}, nil
}
