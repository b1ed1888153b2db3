package payments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/atrium-mall/atrium/service/payments/internal/queries"
)

// Reconciliation (the payments_reconcile job, every minute): an order still CREATED a
// minute after it was made, or a refund still PENDING, is asked of WeChat Pay, in
// case its notification was lost.
const (
	// QueryAfter is how old a waiting order or refund must be before it is queried.
	QueryAfter = time.Minute
	// reconcileBatch bounds one run; the next run takes the rest.
	reconcileBatch = 100
)

// Reconciled counts what a reconciliation run did.
type Reconciled struct {
	Paid, Closed, Refunds, Errors int
}

// Reconcile queries WeChat Pay for the orders whose notification has not come after
// QueryAfter: a paid one is processed exactly like its notification (settlePaid); one
// past its expiry is closed at WeChat Pay, then here. Pending refunds are queried too
// (one WeChat Pay never received is sent again). Reruns are harmless: every change is
// a conditional transition.
func (s *Service) Reconcile(ctx context.Context) (Reconciled, error) {
	var out Reconciled
	if !s.pay.On() {
		return out, nil
	}
	now := s.now()
	q := queries.New(s.db.Pool)
	orders, err := q.WaitingOrders(ctx, now.Add(-QueryAfter), reconcileBatch)
	if err != nil {
		return out, wrap("waiting orders", err)
	}
	var errs []error
	for _, row := range orders {
		if err := s.reconcileOrder(ctx, toOrder(row), now, &out); err != nil {
			out.Errors++
			errs = append(errs, fmt.Errorf("order %s: %w", row.OutTradeNo, err))
		}
	}
	refunds, err := q.PendingRefunds(ctx, now.Add(-QueryAfter), reconcileBatch)
	if err != nil {
		return out, wrap("pending refunds", err)
	}
	for _, row := range refunds {
		if err := s.reconcileRefund(ctx, toRefund(row), &out); err != nil {
			out.Errors++
			errs = append(errs, fmt.Errorf("refund %s: %w", row.OutRefundNo, err))
		}
	}
	return out, errors.Join(errs...)
}

func (s *Service) reconcileOrder(ctx context.Context, o Order, now time.Time, out *Reconciled) error {
	t, err := s.pay.queryOrder(ctx, o.OutTradeNo)
	if errors.Is(err, errOrderNotExist) {
		if now.After(o.ExpiresAt) { // the prepay never reached WeChat Pay
			return s.closeHere(ctx, o, out)
		}
		return nil
	}
	if err != nil {
		return err
	}
	switch t.TradeState {
	case "SUCCESS", "REFUND":
		rec := record{source: sourceQuery, event: "QUERY.TRADE_STATE." + t.TradeState}
		t.TradeState = "SUCCESS" // paid, whatever happened after
		res, err := s.settlePaid(ctx, rec, t, nil)
		if err == nil && res.Outcome == OutcomeAccepted {
			out.Paid++
		}
		return err
	case "CLOSED", "REVOKED":
		return s.closeHere(ctx, o, out)
	}
	if !now.After(o.ExpiresAt) {
		return nil
	}
	if err := s.pay.closeOrder(ctx, o.OutTradeNo); err != nil {
		return err // paid at the last moment (ORDER_PAID): the next run finds it SUCCESS
	}
	return s.closeHere(ctx, o, out)
}

// closeHere moves a CREATED order to CLOSED (conditional: a notification that won the
// race leaves it PAID).
func (s *Service) closeHere(ctx context.Context, o Order, out *Reconciled) error {
	if _, err := orderMachine.Next(EventClose, o.Status); err != nil {
		return err
	}
	now := s.now()
	n, err := queries.New(s.db.Pool).MarkClosed(ctx, &now, o.ID)
	if err != nil {
		return wrap("close order", err)
	}
	out.Closed += int(n)
	return nil
}

func (s *Service) reconcileRefund(ctx context.Context, r Refund, out *Reconciled) error {
	rs, err := s.pay.queryRefund(ctx, r.OutRefundNo)
	if errors.Is(err, errRefundNotExist) {
		o, err := s.orderTx(ctx, s.db.Pool, r.OrderID)
		if err != nil {
			return err
		}
		s.sendRefund(ctx, o, r)
		return nil
	}
	if err != nil {
		return err
	}
	switch rs.status() {
	case "SUCCESS", "CLOSED", "ABNORMAL":
		res, err := s.finishRefund(ctx, record{source: sourceQuery, event: "QUERY.REFUND." + rs.status()}, rs, nil)
		if err == nil && res.Outcome == OutcomeAccepted {
			out.Refunds++
		}
		return err
	}
	return nil
}
