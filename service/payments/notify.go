package payments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/payments/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Outcomes of a notification.
const (
	OutcomeAccepted  = "accepted"
	OutcomeDuplicate = "duplicate"
	OutcomeRefused   = "refused"
)

// Sources of a notification record.
const (
	sourceNotify = "notify"
	sourceQuery  = "query"
)

// maxNotifyBody bounds a notification's body (WeChat Pay's are about 1 KB).
const maxNotifyBody = 64 << 10

// serveNotify answers WeChat Pay the documented way: 204 without a body when the
// notification was taken (accepted or a duplicate), else 4XX/5XX with
// {"code":"FAIL","message":…} so WeChat Pay delivers it again later.
func (s *Service) serveNotify(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		fail(w, http.StatusMethodNotAllowed, "POST only")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxNotifyBody+1))
	if err != nil || len(body) > maxNotifyBody {
		fail(w, http.StatusBadRequest, "unreadable body")
		return
	}
	res, err := s.Receive(r.Context(), r.Header, body)
	switch {
	case errors.Is(err, ErrUnavailable):
		fail(w, http.StatusServiceUnavailable, "payments not configured")
	case err != nil:
		fail(w, http.StatusInternalServerError, "internal error")
	case res.Outcome == OutcomeRefused && res.Unverified:
		fail(w, http.StatusUnauthorized, res.Reason)
	case res.Outcome == OutcomeRefused:
		fail(w, http.StatusBadRequest, res.Reason)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func fail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"code": "FAIL", "message": msg})
}

// Result is what became of a notification.
type Result struct {
	Outcome string
	Reason  string
	// Unverified: refused because its signature or timestamp failed.
	Unverified bool
}

// record is a notification record in the making.
type record struct {
	source, id, event       string
	outTradeNo, outRefundNo string
	group, mall             *uuid.UUID
}

// Receive processes one notification (headers and raw body): verified, decrypted,
// checked against its order or refund and applied once, and recorded either way.
func (s *Service) Receive(ctx context.Context, h http.Header, body []byte) (Result, error) {
	n, verr := s.pay.verify(ctx, h, body, s.now())
	if errors.Is(verr, ErrUnavailable) {
		return Result{}, verr
	}
	rec := record{source: sourceNotify, id: n.ID, event: n.EventType}
	switch {
	case n.Plaintext == nil:
		reason := "resource cannot be decrypted"
		if verr != nil {
			reason = verr.Error()
		}
		res := Result{Outcome: OutcomeRefused, Reason: reason, Unverified: verr != nil}
		return res, s.db.InTx(ctx, func(tx pgx.Tx) error { return s.recordTx(ctx, tx, rec, res) })
	case strings.HasPrefix(n.EventType, "REFUND."):
		var rs RefundState
		if err := json.Unmarshal(n.Plaintext, &rs); err != nil {
			return Result{}, fmt.Errorf("payments: refund resource: %w", err)
		}
		return s.finishRefund(ctx, rec, rs, verr)
	default:
		var t Transaction
		if err := json.Unmarshal(n.Plaintext, &t); err != nil {
			return Result{}, fmt.Errorf("payments: transaction resource: %w", err)
		}
		return s.settlePaid(ctx, rec, t, verr)
	}
}

func (s *Service) recordTx(ctx context.Context, tx pgx.Tx, rec record, res Result) error {
	p := queries.InsertNotificationParams{ID: service.NewID(), GroupID: rec.group, MallID: rec.mall, Source: rec.source,
		NotificationID: rec.id, EventType: rec.event, Outcome: res.Outcome, Reason: res.Reason, ReceivedAt: s.now()}
	if rec.outTradeNo != "" {
		p.OutTradeNo = &rec.outTradeNo
	}
	if rec.outRefundNo != "" {
		p.OutRefundNo = &rec.outRefundNo
	}
	return wrap("record notification", queries.New(tx).InsertNotification(ctx, p))
}

func refused(format string, args ...any) Result {
	return Result{Outcome: OutcomeRefused, Reason: fmt.Sprintf(format, args...)}
}

// settlePaid applies "order paid" (a notification's, or the reconciliation query's)
// once: the order is locked, checked (appid, mchid, amount), moved CREATED → PAID and
// its purpose settled in the same transaction; a repeat finds it paid (duplicate).
func (s *Service) settlePaid(ctx context.Context, rec record, t Transaction, verr error) (Result, error) {
	rec.outTradeNo = t.OutTradeNo
	var res Result
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		res = Result{}
		q := queries.New(tx)
		row, err := q.OrderByOutTradeNoForUpdate(ctx, t.OutTradeNo)
		if errors.Is(storage.MapError(err), storage.ErrNotFound) {
			res = refused("unknown out_trade_no %q", t.OutTradeNo)
			res.Unverified = verr != nil
			return s.recordTx(ctx, tx, rec, res)
		} else if err != nil {
			return wrap("lock order", err)
		}
		o := toOrder(row)
		rec.group, rec.mall = &o.GroupID, &o.MallID
		res = s.checkPaid(o, t, verr)
		if res.Outcome == "" {
			if res, err = s.markPaid(ctx, tx, o, t); err != nil {
				return err
			}
		}
		return s.recordTx(ctx, tx, rec, res)
	})
	return res, err
}

// checkPaid is the refusal or duplicate verdict on t for o, "" when o is to be paid.
func (s *Service) checkPaid(o Order, t Transaction, verr error) Result {
	switch {
	case verr != nil:
		return Result{Outcome: OutcomeRefused, Reason: verr.Error(), Unverified: true}
	case t.MchID != o.MchID:
		return refused("mchid %q is not the order's %q", t.MchID, o.MchID)
	case t.AppID != o.AppID:
		return refused("appid %q is not the order's %q", t.AppID, o.AppID)
	case t.Amount.Total != o.AmountFen:
		return refused("amount %d fen is not the order's %d fen", t.Amount.Total, o.AmountFen)
	case t.TradeState != "SUCCESS":
		return refused("trade_state %s is not SUCCESS", t.TradeState)
	case t.TransactionID == "":
		return refused("no transaction_id")
	case o.Status == StatusCreated:
		return Result{}
	case o.TransactionID == t.TransactionID:
		return Result{Outcome: OutcomeDuplicate}
	}
	return refused("the order is %s (transaction %q)", o.Status, o.TransactionID)
}

// markPaid moves o to PAID and runs its settler under a savepoint.
func (s *Service) markPaid(ctx context.Context, tx pgx.Tx, o Order, t Transaction) (Result, error) {
	if _, err := orderMachine.Next(EventPay, o.Status); err != nil {
		return Result{}, err
	}
	paidAt, err := time.Parse(time.RFC3339, t.SuccessTime)
	if err != nil {
		paidAt = s.now()
	}
	q := queries.New(tx)
	n, err := q.MarkPaid(ctx, queries.MarkPaidParams{ID: o.ID, TransactionID: &t.TransactionID, PaidAt: &paidAt})
	if err != nil {
		return Result{}, wrap("mark paid", err)
	}
	if n == 0 { // cannot happen under the row lock; kept as the guard it is
		return Result{Outcome: OutcomeDuplicate}, nil
	}
	o.Status, o.TransactionID, o.PaidAt = StatusPaid, t.TransactionID, &paidAt
	settleErr := s.settleTx(ctx, tx, o)
	if e, ok := errs.As(settleErr); ok && e.Kind == errs.KindUser {
		msg := e.Code + ": " + e.Message
		if err := q.SetSettleError(ctx, &msg, o.ID); err != nil {
			return Result{}, wrap("record settle error", err)
		}
		return Result{Outcome: OutcomeAccepted, Reason: "paid; not settled: " + msg}, nil
	}
	return Result{Outcome: OutcomeAccepted}, settleErr
}

// settleTx runs o's settler under a savepoint: a refusal leaves nothing behind.
func (s *Service) settleTx(ctx context.Context, tx pgx.Tx, o Order) error {
	st, err := s.settler(o.Purpose)
	if err != nil {
		return err
	}
	sp, err := tx.Begin(ctx)
	if err != nil {
		return wrap("savepoint", err)
	}
	if err := st.SettleTx(ctx, sp, o); err != nil {
		if rb := sp.Rollback(ctx); rb != nil {
			return wrap("rollback savepoint", rb)
		}
		return err
	}
	return wrap("release savepoint", sp.Commit(ctx))
}
