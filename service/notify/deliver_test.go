package notify_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/notify"
)

// TestNeverTwiceAcrossInstances: two app instances, each with several workers, dispatch
// and deliver the same outbox concurrently (run under -race); producers enqueue every
// event twice. Each (event, channel, recipient) is sent exactly once: the WeChat fake
// sees one message per event, the SMS fake one per SMS event, the inbox one per event.
func TestNeverTwiceAcrossInstances(t *testing.T) {
	f := setup(t)
	a, b := f.svc, f.instance("b")
	const n = 12
	members := make([]uuid.UUID, n)
	for i := range members {
		members[i] = f.member(true)
		f.grant(members[i], tmplBill, 1)
		for range 2 { // a producer rerun enqueues nothing new
			f.enqueue(notify.BillIssued, members[i], fmt.Sprintf("bill:%d", i), map[string]string{"title": "11月账单"})
			f.enqueue(notify.Birthday, members[i], fmt.Sprintf("bday:%d", i), map[string]string{"name": "林"})
		}
	}
	var wg sync.WaitGroup
	for _, svc := range []*notify.Service{a, b} {
		for w := range 3 {
			wg.Go(func() {
				for range 4 {
					if _, err := svc.Dispatch(context.Background()); err != nil {
						t.Error(err)
					}
					for _, ch := range notify.Channels {
						if _, err := svc.Deliver(context.Background(), ch, fmt.Sprint("w", w)); err != nil {
							t.Error(err)
						}
					}
				}
			})
		}
	}
	wg.Wait()
	f.run(a) // anything left over
	perUser := map[string]int{}
	for _, m := range f.wx.Sent() {
		perUser[m.ToUser]++
	}
	if len(f.wx.Sent()) != n || len(perUser) != n {
		t.Fatalf("WeChat got %d messages for %d members, want %d each once", len(f.wx.Sent()), len(perUser), n)
	}
	if got := len(f.sms.Sent()); got != n {
		t.Fatalf("SMS fake got %d birthday messages, want %d", got, n)
	}
	for _, d := range f.deliveries(notify.LogFilter{}) {
		if d.Status != notify.StatusSent || d.Attempts != 1 {
			t.Fatalf("delivery %s/%s is %s after %d attempts", d.Kind, d.Channel, d.Status, d.Attempts)
		}
	}
	if got := len(f.deliveries(notify.LogFilter{Channel: notify.InApp})); got != n {
		t.Fatalf("%d in-app deliveries, want %d (birthdays are in loyalty's list)", got, n)
	}
	inbox, err := a.MyInbox(f.shopper(members[0]), pageAll)
	if err != nil || len(inbox.Items) != 1 {
		t.Fatalf("inbox of a member: %d messages, %v; want 1", len(inbox.Items), err)
	}
}

// TestRetryWithBackoff: WeChat answers -1 (busy); the delivery waits 30 s, is not
// claimed before, then goes out once; after MaxAttempts transient failures it fails.
func TestRetryWithBackoff(t *testing.T) {
	f := setup(t)
	m := f.member(true)
	f.grant(m, tmplRedeem, 2)
	f.wx.Busy(1)
	f.enqueue(notify.RedemptionDone, m, "redeem:1", nil)
	if r := f.run(f.svc); r.Retried != 1 {
		t.Fatalf("first round %+v, want one retry", r)
	}
	if r := f.run(f.svc); r.Claimed != 0 {
		t.Fatalf("claimed %d before the back-off elapsed", r.Claimed)
	}
	f.clock.Add(30 * time.Second)
	if r := f.run(f.svc); r.Sent != 1 {
		t.Fatalf("after the back-off %+v, want sent", r)
	}
	if got := len(f.wx.Sent()); got != 1 {
		t.Fatalf("WeChat got %d, want 1", got)
	}
	d := f.deliveries(notify.LogFilter{Channel: notify.WeChat})[0]
	if d.Attempts != 2 || d.Status != notify.StatusSent {
		t.Fatalf("delivery %+v", d)
	}
	if g := grantsLeft(t, f, m, tmplRedeem); g != 1 {
		t.Fatalf("grants left %d, want 1 (the busy attempt gave its grant back)", g)
	}

	f.wx.Busy(10)
	f.enqueue(notify.RedemptionDone, m, "redeem:2", nil)
	for range 3 {
		f.run(f.svc)
		f.clock.Add(time.Hour)
	}
	ds := f.deliveries(notify.LogFilter{Channel: notify.WeChat, Status: notify.StatusFailed})
	if len(ds) != 1 || ds[0].Attempts != 3 || ds[0].ErrorCode != "-1" {
		t.Fatalf("after 3 busy attempts: %+v", ds)
	}
}

func grantsLeft(t *testing.T, f *fixture, m uuid.UUID, tmpl string) int {
	t.Helper()
	gs, err := f.svc.MyGrants(f.shopper(m))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if g.TemplateID == tmpl {
			return g.Remaining
		}
	}
	return -1
}

// Test43101NotRetried: the user refused; the delivery is recorded failed with 43101,
// never claimed again, the member's grant count is cleared, and — a money message —
// it falls back to SMS.
func Test43101NotRetried(t *testing.T) {
	f := setup(t)
	m := f.member(true)
	f.grant(m, tmplBill, 3)
	f.wx.Refuse(f.openid(m))
	f.enqueue(notify.BillIssued, m, "bill:1", map[string]string{"title": "11月账单"})
	r := f.run(f.svc)
	if r.Failed != 1 || r.Fallbacks != 1 {
		t.Fatalf("round %+v, want one failure and one SMS fallback", r)
	}
	for range 3 {
		f.clock.Add(2 * time.Hour)
		if r := f.run(f.svc); r.Claimed != 0 {
			t.Fatalf("43101 claimed again: %+v", r)
		}
	}
	if _, _, sends := f.wx.Counts(); sends != 1 {
		t.Fatalf("WeChat send called %d times, want 1", sends)
	}
	wx := f.deliveries(notify.LogFilter{Channel: notify.WeChat})
	if len(wx) != 1 || wx[0].Status != notify.StatusFailed || wx[0].ErrorCode != "43101" || wx[0].Attempts != 1 {
		t.Fatalf("WeChat delivery %+v", wx)
	}
	if g := grantsLeft(t, f, m, tmplBill); g != 0 {
		t.Fatalf("grants after 43101: %d, want 0", g)
	}
	sms := f.deliveries(notify.LogFilter{Channel: notify.SMS})
	if len(sms) != 1 || sms[0].Status != notify.StatusSent || sms[0].FallbackOf == nil || *sms[0].FallbackOf != wx[0].ID {
		t.Fatalf("SMS fallback %+v", sms)
	}
	if s := f.sms.Sent(); len(s) != 1 || s[0].Template != "SMS_BILL" || s[0].Params["title"] != "11月账单" {
		t.Fatalf("SMS sent %+v", s)
	}
}

// TestGrantsUsedUp: one grant, two messages of the template: the first is sent, the
// second is not (NO_GRANT) and WeChat is not called for it; a non-mandatory kind gets
// no SMS fallback, a mandatory one does.
func TestGrantsUsedUp(t *testing.T) {
	f := setup(t)
	m := f.member(true)
	f.grant(m, tmplRedeem, 1)
	f.enqueue(notify.RedemptionDone, m, "redeem:1", nil)
	f.enqueue(notify.RedemptionDone, m, "redeem:2", nil)
	r := f.run(f.svc)
	if r.Fallbacks != 0 {
		t.Fatalf("a redemption message fell back to SMS: %+v", r)
	}
	if _, _, sends := f.wx.Counts(); sends != 1 || len(f.wx.Sent()) != 1 {
		t.Fatalf("WeChat called %d times, sent %d; want 1", sends, len(f.wx.Sent()))
	}
	skipped := f.deliveries(notify.LogFilter{Channel: notify.WeChat, Status: notify.StatusSkipped})
	if len(skipped) != 1 || skipped[0].ErrorCode != "NO_GRANT" {
		t.Fatalf("skipped %+v", skipped)
	}
	f.enqueue(notify.PaymentReceived, m, "paid:1", map[string]string{"amount": "100.00"})
	if r := f.run(f.svc); r.Fallbacks != 1 {
		t.Fatalf("payment without a grant: %+v, want an SMS fallback", r)
	}
	if s := f.sms.Sent(); len(s) != 1 || s[0].Params["amount"] != "100.00" {
		t.Fatalf("SMS %+v", s)
	}
	if bad := f.wx.Bad(); len(bad) != 0 {
		t.Fatalf("WeChat fake refused requests: %v", bad)
	}
}

// TestTokenRefreshed: WeChat drops the access token (40001, then 42001); the send is
// retried once with a token from stable_token force_refresh and goes out.
func TestTokenRefreshed(t *testing.T) {
	f := setup(t)
	m := f.member(true)
	f.grant(m, tmplRedeem, 3)
	f.enqueue(notify.RedemptionDone, m, "redeem:1", nil)
	f.run(f.svc)
	for i, code := range []int{40001, 42001} {
		f.wx.InvalidateToken(code)
		f.enqueue(notify.RedemptionDone, m, fmt.Sprint("redeem:x", i), nil)
		if r := f.run(f.instance("b")); r.Sent != 2 { // in-app and WeChat
			t.Fatalf("after %d: %+v", code, r)
		}
	}
	tokens, forced, _ := f.wx.Counts()
	if len(f.wx.Sent()) != 3 || forced != 2 || tokens != 3 {
		t.Fatalf("sent %d, tokens %d, forced %d; want 3, 3, 2", len(f.wx.Sent()), tokens, forced)
	}
}

// TestSMSDailyCap: a mall's SMS stop at the cap of the day (DAILY_CAP) and resume the next.
func TestSMSDailyCap(t *testing.T) {
	f := setup(t, func(c *notify.Config) { c.SMSDailyCap = 2 })
	for i := range 3 {
		f.enqueue(notify.Birthday, f.member(false), fmt.Sprint("bday:", i), map[string]string{"name": "林"})
	}
	f.run(f.svc)
	if got := len(f.sms.Sent()); got != 2 {
		t.Fatalf("%d SMS sent with a cap of 2", got)
	}
	capped := f.deliveries(notify.LogFilter{Channel: notify.SMS, Status: notify.StatusSkipped})
	if len(capped) != 1 || capped[0].ErrorCode != "DAILY_CAP" {
		t.Fatalf("capped %+v", capped)
	}
	f.clock.Add(24 * time.Hour) // the next day has its own cap
	f.enqueue(notify.Birthday, f.member(false), "bday:next", nil)
	f.run(f.svc)
	if got := len(f.sms.Sent()); got != 3 {
		t.Fatalf("%d SMS after the next day's, want 3", got)
	}
}
