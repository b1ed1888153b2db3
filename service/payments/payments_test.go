package payments_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/payments"
	"github.com/atrium-mall/atrium/service/payments/wechatpaytest"
)

var pageAll = page.Request{First: 100}

// TestSameNotificationFiveTimesPostsOnce is the acceptance test: WeChat Pay delivers the
// payment notification of an online recharge five times at once; the recharge (with
// its bonus) posts once, four deliveries are recorded as duplicates, and the ledger
// verifies clean.
func TestSameNotificationFiveTimesPostsOnce(t *testing.T) {
	b := setup(t)
	if err := b.loyalty.SetRechargeBonus(b.admin, b.org.GroupID, d("100"), d("10")); err != nil {
		t.Fatal(err)
	}
	s := b.shopper()
	p := b.start(s, "100")
	if p.JSAPI == nil || p.JSAPI.AppID != appID || !strings.HasPrefix(p.JSAPI.Package, "prepay_id=wx") ||
		p.JSAPI.SignType != "RSA" {
		t.Fatalf("JSAPI parameters = %+v", p.JSAPI)
	}
	// paySign is the merchant's signature of appId, timeStamp, nonceStr and package.
	msg := p.JSAPI.AppID + "\n" + p.JSAPI.TimeStamp + "\n" + p.JSAPI.NonceStr + "\n" + p.JSAPI.Package + "\n"
	sig, _ := base64.StdEncoding.DecodeString(p.JSAPI.PaySign)
	sum := sha256.Sum256([]byte(msg))
	if err := rsa.VerifyPKCS1v15(&b.fake.Keys.Merchant.PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("paySign does not verify with the merchant key: %v", err)
	}
	if p.Order.Status != payments.StatusCreated || p.Order.AmountFen != 10000 {
		t.Fatalf("order = %+v", p.Order)
	}
	codes, err := b.fake.Pay(p.Order.OutTradeNo, 5, wechatpaytest.Intact)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range codes {
		if c != http.StatusNoContent {
			t.Errorf("delivery %d answered %d, want 204", i, c)
		}
	}
	o := b.order(p.Order.ID)
	if o.Status != payments.StatusPaid || o.TransactionID == "" || o.SettleError != "" {
		t.Fatalf("order after payment = %+v", o)
	}
	eq(t, "stored value", b.storedValue(s.Card), "110")
	if n := b.count(`SELECT count(*) FROM ledger_postings WHERE kind = 'recharge' AND key = $1`,
		"recharge:wechatpay:"+o.OutTradeNo); n != 1 {
		t.Errorf("recharge postings = %d, want 1", n)
	}
	outcomes := map[string]int{}
	for _, n := range b.notifications() {
		outcomes[n.Outcome]++
	}
	if outcomes[payments.OutcomeAccepted] != 1 || outcomes[payments.OutcomeDuplicate] != 4 {
		t.Errorf("notification outcomes = %v, want 1 accepted and 4 duplicates", outcomes)
	}
	// A repeat of the start with its key replays the order, paid: no new prepay.
	ledgertest.Verify(t, b.ledger)
}

// TestSpoiledNotificationsAreRefusedAndRecorded: a bad signature, a stale timestamp, a
// wrong amount and a wrong appid are each refused with WeChat Pay's failure answer and
// recorded with the reason; the order stays unpaid until the genuine one arrives.
func TestSpoiledNotificationsAreRefusedAndRecorded(t *testing.T) {
	b := setup(t)
	s := b.shopper()
	for _, c := range []struct {
		name   string
		tamper wechatpaytest.Tamper
		status int
		reason string
	}{
		{"bad signature", wechatpaytest.BadSignature, http.StatusUnauthorized, "bad signature"},
		{"stale timestamp", wechatpaytest.StaleTimestamp, http.StatusUnauthorized, "stale timestamp"},
		{"wrong amount", wechatpaytest.WrongAmount, http.StatusBadRequest, "amount 5001 fen is not the order's 5000 fen"},
		{"wrong appid", wechatpaytest.WrongAppID, http.StatusBadRequest, "appid \"wx-not-the-merchants\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := b.start(s, "50")
			codes, err := b.fake.Pay(p.Order.OutTradeNo, 1, c.tamper)
			if err != nil {
				t.Fatal(err)
			}
			if codes[0] != c.status {
				t.Errorf("answered %d, want %d", codes[0], c.status)
			}
			if o := b.order(p.Order.ID); o.Status != payments.StatusCreated {
				t.Errorf("order is %s after a spoiled notification", o.Status)
			}
			recs := b.notifications()
			if len(recs) == 0 || recs[0].Outcome != payments.OutcomeRefused || recs[0].OutTradeNo != p.Order.OutTradeNo ||
				!strings.Contains(recs[0].Reason, c.reason) {
				t.Errorf("latest record = %+v, want refused with %q", recs[0], c.reason)
			}
			// The genuine notification still goes through.
			if codes, _ := b.fake.Notify(p.Order.OutTradeNo, 1, wechatpaytest.Intact); codes[0] != http.StatusNoContent {
				t.Errorf("genuine notification answered %d", codes[0])
			}
		})
	}
	eq(t, "stored value", b.storedValue(s.Card), "200")
	refused, err := b.svc.NotificationsOfMall(b.finance, b.org.MallID, payments.OutcomeRefused, pageAll)
	if err != nil || len(refused.Items) != 4 {
		t.Errorf("refused notifications = %d (%v), want 4", len(refused.Items), err)
	}
	ledgertest.Verify(t, b.ledger)
}

// TestLostNotificationIsRecoveredByTheQueryJob: the notification never comes; a minute
// later the reconciliation finds the order paid at WeChat Pay and settles it by the
// notification's path; the late notification is then a duplicate.
func TestLostNotificationIsRecoveredByTheQueryJob(t *testing.T) {
	b := setup(t)
	s := b.shopper()
	p := b.start(s, "88.80")
	if _, err := b.fake.Pay(p.Order.OutTradeNo, 1, wechatpaytest.Lost); err != nil {
		t.Fatal(err)
	}
	if r, err := b.svc.Reconcile(context.Background()); err != nil || r.Paid != 0 {
		t.Fatalf("reconcile before a minute = %+v, %v; want nothing", r, err)
	}
	b.clock.Add(2 * time.Minute)
	r, err := b.svc.Reconcile(context.Background())
	if err != nil || r.Paid != 1 {
		t.Fatalf("reconcile = %+v, %v; want 1 paid", r, err)
	}
	if r, err := b.svc.Reconcile(context.Background()); err != nil || r.Paid != 0 {
		t.Errorf("rerun = %+v, %v; want nothing", r, err)
	}
	eq(t, "stored value", b.storedValue(s.Card), "88.80")
	if codes, _ := b.fake.Notify(p.Order.OutTradeNo, 1, wechatpaytest.Intact); codes[0] != http.StatusNoContent {
		t.Errorf("late notification answered %d", codes[0])
	}
	recs := b.notifications()
	if len(recs) != 2 || recs[0].Outcome != payments.OutcomeDuplicate || recs[1].Source != "query" ||
		recs[1].Outcome != payments.OutcomeAccepted {
		t.Errorf("records = %+v", recs)
	}
	eq(t, "stored value", b.storedValue(s.Card), "88.80")
	ledgertest.Verify(t, b.ledger)
}

// TestExpiredOrderIsClosedByTheJob: unpaid past its expiry (15 minutes), an order is
// closed at WeChat Pay and here; one not yet expired is left alone.
func TestExpiredOrderIsClosedByTheJob(t *testing.T) {
	b := setup(t)
	s := b.shopper()
	p := b.start(s, "20")
	b.clock.Add(5 * time.Minute)
	if r, err := b.svc.Reconcile(context.Background()); err != nil || r.Closed != 0 {
		t.Fatalf("reconcile before expiry = %+v, %v", r, err)
	}
	b.clock.Add(11 * time.Minute)
	if r, err := b.svc.Reconcile(context.Background()); err != nil || r.Closed != 1 {
		t.Fatalf("reconcile after expiry = %+v, %v; want 1 closed", r, err)
	}
	if o := b.order(p.Order.ID); o.Status != payments.StatusClosed || o.ClosedAt == nil {
		t.Errorf("order = %+v, want CLOSED", o)
	}
	if st := b.fake.State(p.Order.OutTradeNo); st != "CLOSED" {
		t.Errorf("WeChat Pay holds the order %s, want CLOSED", st)
	}
	eq(t, "stored value", b.storedValue(s.Card), "0")
}

// TestRefundAndItsNotification: a paid order (a purpose registered by a test settler,
// created inside the caller's transaction as billing does, paid by Native QR) is
// refunded in part; the refund notification, delivered three times at once, completes
// it once; a refund larger than what is left is refused; a lost refund notification is
// recovered by the job; an online recharge is not refundable online.
func TestRefundAndItsNotification(t *testing.T) {
	b := setup(t)
	st := testSettler{settled: make(chan payments.Order, 10), refunded: make(chan payments.Order, 10)}
	b.svc.Register("TEST", st)
	var o payments.Order
	err := b.db.InTx(context.Background(), func(tx pgx.Tx) (err error) {
		o, err = b.svc.CreateOrderTx(context.Background(), tx, payments.OrderInput{MallID: b.org.MallID, Purpose: "TEST",
			ReferenceID: uuid.New(), PayerKind: payments.PayerMerchant, PayerID: b.org.MerchantID, Description: "Bill 2026-11",
			Amount: d("1.00"), Mode: payments.ModeNative})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.svc.Prepay(context.Background(), o.ID)
	if err != nil || !strings.HasPrefix(p.CodeURL, "weixin://wxpay/bizpayurl") {
		t.Fatalf("native prepay = %+v, %v", p, err)
	}
	if _, err := b.fake.Pay(o.OutTradeNo, 1, wechatpaytest.Intact); err != nil {
		t.Fatal(err)
	}
	if got := <-st.settled; got.ID != o.ID || got.Status != payments.StatusPaid {
		t.Fatalf("settled %+v", got)
	}
	r, err := b.svc.RefundPayment(b.finance, payments.RefundInput{OrderID: o.ID, Amount: d("0.40"), Reason: "overpaid",
		IdempotencyKey: key()})
	if err != nil || r.Status != payments.RefundPending || r.WeChatStatus != "PROCESSING" {
		t.Fatalf("refund = %+v, %v", r, err)
	}
	<-st.refunded
	codes, err := b.fake.FinishRefund(r.OutRefundNo, "SUCCESS", 3, wechatpaytest.Intact)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if c != http.StatusNoContent {
			t.Errorf("refund notification answered %d", c)
		}
	}
	if got := b.order(o.ID); got.Status != payments.StatusPartlyRefunded || got.RefundedFen != 40 {
		t.Errorf("order after refund = %s, %d fen refunded", got.Status, got.RefundedFen)
	}
	_, err = b.svc.RefundPayment(b.finance, payments.RefundInput{OrderID: o.ID, Amount: d("0.61"), Reason: "more",
		IdempotencyKey: key()})
	is(t, "refund beyond the rest", err, payments.ErrRefundLarge)
	rest, err := b.svc.RefundPayment(b.finance, payments.RefundInput{OrderID: o.ID, Amount: d("0.60"), Reason: "rest",
		IdempotencyKey: key()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.fake.FinishRefund(rest.OutRefundNo, "SUCCESS", 1, wechatpaytest.Lost); err != nil {
		t.Fatal(err)
	}
	b.clock.Add(2 * time.Minute)
	if res, err := b.svc.Reconcile(context.Background()); err != nil || res.Refunds != 1 {
		t.Fatalf("reconcile = %+v, %v; want the refund", res, err)
	}
	if got := b.order(o.ID); got.Status != payments.StatusRefunded || got.RefundedFen != 100 {
		t.Errorf("order = %s, %d fen refunded; want REFUNDED 100", got.Status, got.RefundedFen)
	}
	refunds, err := b.svc.RefundsOf(b.finance, o.ID)
	if err != nil || len(refunds) != 2 || refunds[0].Status != payments.RefundSucceeded || refunds[1].Status != payments.RefundSucceeded {
		t.Errorf("refunds = %+v, %v", refunds, err)
	}

	s := b.shopper()
	rp := b.start(s, "10")
	if _, err := b.fake.Pay(rp.Order.OutTradeNo, 1, wechatpaytest.Intact); err != nil {
		t.Fatal(err)
	}
	_, err = b.svc.RefundPayment(b.finance, payments.RefundInput{OrderID: rp.Order.ID, Amount: d("10"), Reason: "x",
		IdempotencyKey: key()})
	is(t, "refund of a recharge", err, payments.ErrRechargeNotRefundable)
	ledgertest.Verify(t, b.ledger)
}

// TestSettlementRefusedLeavesOrderPaid: two recharges started together each fit under
// the card's cap alone; paid both, the second would pass it, so it stays PAID with the
// refusal recorded for finance and nothing credited.
func TestSettlementRefusedLeavesOrderPaid(t *testing.T) {
	b := setup(t)
	s := b.shopper()
	first, second := b.start(s, "3000"), b.start(s, "3000")
	for _, p := range []payments.Prepaid{first, second} {
		if codes, err := b.fake.Pay(p.Order.OutTradeNo, 1, wechatpaytest.Intact); err != nil || codes[0] != http.StatusNoContent {
			t.Fatalf("pay: %v %v", codes, err)
		}
	}
	eq(t, "stored value", b.storedValue(s.Card), "3000")
	o := b.order(second.Order.ID)
	if o.Status != payments.StatusPaid || !strings.HasPrefix(o.SettleError, "STORED_VALUE_CAP_EXCEEDED") {
		t.Errorf("second order = %s, settle error %q", o.Status, o.SettleError)
	}
	ledgertest.Verify(t, b.ledger)
}

// TestStartCardRechargeChecksBeforePrepay: the card's rules are asked before WeChat Pay
// is: another shopper's card is not found, a frozen card, the cap, a shopper without
// WeChat are refused, and none of them reaches WeChat Pay; a repeat with the key is the
// same order.
func TestStartCardRechargeChecksBeforePrepay(t *testing.T) {
	b := setup(t)
	s, other := b.shopper(), b.shopper()
	frozen := b.shopper()
	ledgertest.SetStatus(t, b.db, frozen.Card, "frozen")
	deskMember := b.org.Member(t, b.db)
	deskCard, _ := b.org.Card(t, b.db, deskMember)
	calls := b.fake.Requests
	for _, c := range []struct {
		name string
		ctx  context.Context
		card uuid.UUID
		amt  string
		want error
	}{
		{"another shopper's card", other.ctx, s.Card, "10", loyalty.ErrCardNotFound},
		{"frozen card", frozen.ctx, frozen.Card, "10", loyalty.ErrCardFrozen},
		{"over the cap", s.ctx, s.Card, "5000.01", loyalty.ErrStoredValueCap},
		{"no WeChat", shopperCtx(deskMember), deskCard, "10", payments.ErrNoOpenID},
		{"zero", s.ctx, s.Card, "0", errs.ErrInvalid},
		{"staff", b.finance, s.Card, "10", errs.ErrForbidden},
	} {
		_, err := b.svc.StartCardRecharge(c.ctx, payments.CardRechargeInput{MallID: b.org.MallID, CardID: c.card,
			Amount: d(c.amt), IdempotencyKey: key()})
		is(t, c.name, err, c.want)
	}
	if b.fake.Requests != calls {
		t.Errorf("refused recharges reached WeChat Pay %d times", b.fake.Requests-calls)
	}
	in := payments.CardRechargeInput{MallID: b.org.MallID, CardID: s.Card, Amount: d("10"), IdempotencyKey: key()}
	p1, err := b.svc.StartCardRecharge(s.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := b.svc.StartCardRecharge(s.ctx, in)
	if err != nil || p2.Order.ID != p1.Order.ID || p2.JSAPI.Package != p1.JSAPI.Package {
		t.Errorf("repeat = %+v, %v; want the same order and prepay", p2.Order, err)
	}
	// Paid, then repeated once the card cannot take it any more: the same order, paid.
	if _, err := b.fake.Pay(p1.Order.OutTradeNo, 1, wechatpaytest.Intact); err != nil {
		t.Fatal(err)
	}
	if _, err := b.fake.Pay(b.start(s, "4990").Order.OutTradeNo, 1, wechatpaytest.Intact); err != nil {
		t.Fatal(err)
	}
	eq(t, "stored value", b.storedValue(s.Card), "5000")
	p3, err := b.svc.StartCardRecharge(s.ctx, in)
	if err != nil || p3.Order.ID != p1.Order.ID || p3.Order.Status != payments.StatusPaid || p3.JSAPI != nil {
		t.Errorf("repeat after payment = %+v, %v; want the paid order without parameters", p3.Order, err)
	}
}

// TestWhoSeesWhat: the payer sees their order; another shopper, a tenant, finance of
// another mall see nothing; only finance and admins of the mall list and refund.
func TestWhoSeesWhat(t *testing.T) {
	b := setup(t)
	s, other := b.shopper(), b.shopper()
	p := b.start(s, "10")
	if _, err := b.fake.Pay(p.Order.OutTradeNo, 1, wechatpaytest.Intact); err != nil {
		t.Fatal(err)
	}
	otherMall, err := b.orgs.CreateMall(b.admin, org.CreateMallInput{GroupID: b.org.GroupID, Code: "o" + key()[24:],
		Name: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	tenant := staffCtx(auth.RoleTenantAdmin, auth.LevelMerchant, b.org.MerchantID)
	elsewhere := staffCtx(auth.RoleFinance, auth.LevelMall, otherMall.ID)
	desk := staffCtx(auth.RoleServiceDesk, auth.LevelMall, b.org.MallID)
	if o, err := b.svc.Order(s.ctx, p.Order.ID); err != nil || o.ID != p.Order.ID {
		t.Errorf("payer: %v", err)
	}
	mine, err := b.svc.MyOrders(s.ctx, pageAll)
	if err != nil || len(mine.Items) != 1 {
		t.Errorf("my orders = %d, %v", len(mine.Items), err)
	}
	if theirs, _ := b.svc.MyOrders(other.ctx, pageAll); len(theirs.Items) != 0 {
		t.Errorf("another shopper lists %d orders", len(theirs.Items))
	}
	for name, ctx := range map[string]context.Context{"another shopper": other.ctx, "tenant": tenant,
		"finance of another mall": elsewhere, "service desk": desk} {
		_, err := b.svc.Order(ctx, p.Order.ID)
		is(t, name+" reads the order", err, errs.ErrNotFound)
		_, err = b.svc.OrdersOfMall(ctx, b.org.MallID, payments.OrderFilter{}, pageAll)
		is(t, name+" lists the mall's orders", err, errs.ErrForbidden)
		_, err = b.svc.NotificationsOfMall(ctx, b.org.MallID, "", pageAll)
		is(t, name+" lists notifications", err, errs.ErrForbidden)
		_, err = b.svc.RefundPayment(ctx, payments.RefundInput{OrderID: p.Order.ID, Amount: d("1"), Reason: "x",
			IdempotencyKey: key()})
		is(t, name+" refunds", err, errs.ErrNotFound)
	}
	_, err = b.svc.Order(context.Background(), p.Order.ID)
	is(t, "anonymous", err, errs.ErrUnauthenticated)
	for name, ctx := range map[string]context.Context{"finance": b.finance, "admin": b.admin} {
		res, err := b.svc.OrdersOfMall(ctx, b.org.MallID, payments.OrderFilter{Status: payments.StatusPaid}, pageAll)
		if err != nil || len(res.Items) != 1 {
			t.Errorf("%s lists %d paid orders (%v)", name, len(res.Items), err)
		}
	}
}
