package notify_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func TestPreferences(t *testing.T) {
	f := setup(t)
	m := f.member(true)
	ctx := f.shopper(m)
	f.grant(m, tmplRedeem, 2)
	if _, err := f.svc.SetPreference(ctx, notify.WeChat, notify.RedemptionDone, false); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.SetPreference(ctx, notify.SMS, notify.BillIssued, false)
	if !errors.Is(err, notify.ErrMandatory) {
		t.Fatalf("turning a bill message off: %v, want NOTIFICATION_MANDATORY", err)
	}
	f.enqueue(notify.RedemptionDone, m, "redeem:1", nil)
	f.run(f.svc)
	if len(f.wx.Sent()) != 0 || len(f.deliveries(notify.LogFilter{Channel: notify.WeChat})) != 0 {
		t.Fatal("a WeChat message the member turned off was sent")
	}
	if got := len(f.deliveries(notify.LogFilter{Channel: notify.InApp})); got != 1 {
		t.Fatalf("%d in-app deliveries, want 1", got)
	}
	prefs, err := f.svc.MyPreferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prefs {
		if p.Kind == notify.RedemptionDone && p.Channel == notify.WeChat && p.Enabled {
			t.Fatal("preference not listed as off")
		}
		if p.Kind == notify.BillIssued && (!p.Mandatory || !p.Enabled) {
			t.Fatalf("bill preference %+v", p)
		}
	}
	if _, err := f.svc.ReportGrants(ctx, []string{"not-ours"}); !errors.Is(err, notify.ErrNoTemplate) {
		t.Fatalf("unknown template: %v", err)
	}
}

// TestGroupMessage: a segment of three members, one opted out of group SMS: two SMS go
// out, all three get it in the app; a mall sends at most GroupPerDay a day.
func TestGroupMessage(t *testing.T) {
	f := setup(t, func(c *notify.Config) { c.GroupPerDay = 1 })
	out := f.member(false)
	f.segs.members = []uuid.UUID{f.member(false), f.member(true), out}
	if _, err := f.svc.SetPreference(f.shopper(out), notify.SMS, notify.GroupMessage, false); err != nil {
		t.Fatal(err)
	}
	ops := f.staff(auth.RoleMemberOps, f.mall)
	b, err := f.svc.SendGroupMessage(ops, f.mall, "周末特惠", "满200减50，本周六日", notify.Segment{Tags: []string{"vip"}})
	if err != nil {
		t.Fatal(err)
	}
	if b.Matched != 3 || b.OptedOut != 1 {
		t.Fatalf("broadcast %+v", b)
	}
	f.run(f.svc)
	if s := f.sms.Sent(); len(s) != 2 || s[0].Params["body"] != "满200减50，本周六日" {
		t.Fatalf("SMS %+v", s)
	}
	if got := len(f.deliveries(notify.LogFilter{Kind: notify.GroupMessage, Channel: notify.InApp})); got != 3 {
		t.Fatalf("%d in-app group messages, want 3", got)
	}
	if _, err := f.svc.SendGroupMessage(ops, f.mall, "再来", "又一条", notify.Segment{}); !errors.Is(err, notify.ErrGroupLimit) {
		t.Fatalf("second group message today: %v", err)
	}
	list, err := f.svc.GroupMessages(ops, f.mall, pageAll)
	if err != nil || len(list.Items) != 1 {
		t.Fatalf("group messages %d, %v", len(list.Items), err)
	}
}

// TestAccess: every operation refuses another mall's staff, a wrong role, a shopper and
// a tenant; shopper operations refuse staff; one shopper never reads another's inbox.
func TestAccess(t *testing.T) {
	f := setup(t)
	_, otherMall := orgtest.Mall(t, f.db, storetest.RandomName("X")[:12])
	m, other := f.member(true), f.member(true)
	f.enqueue(notify.RedemptionDone, m, "redeem:1", nil)
	f.run(f.svc)
	tenant := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleTenantAdmin, Level: auth.LevelMerchant, ScopeID: uuid.New()}}})
	callers := map[string]context.Context{
		"another mall's admin": f.staff(auth.RoleAdmin, otherMall),
		"finance (wrong role)": f.staff(auth.RoleFinance, f.mall),
		"a shopper":            f.shopper(m),
		"a tenant":             tenant,
		"anonymous":            context.Background(),
	}
	for name, ctx := range callers {
		t.Run(name, func(t *testing.T) {
			if _, err := f.svc.DeliveryLog(ctx, f.mall, notify.LogFilter{}, pageAll); !denied(err) {
				t.Fatalf("deliveryLog: %v", err)
			}
			if _, err := f.svc.SendGroupMessage(ctx, f.mall, "t", "b", notify.Segment{}); !denied(err) {
				t.Fatalf("sendGroupMessage: %v", err)
			}
			if _, err := f.svc.GroupMessages(ctx, f.mall, pageAll); !denied(err) {
				t.Fatalf("groupMessages: %v", err)
			}
		})
	}
	staff := f.staff(auth.RoleAdmin, f.mall)
	if _, err := f.svc.ReportGrants(staff, []string{tmplBill}); !denied(err) {
		t.Fatalf("staff reporting grants: %v", err)
	}
	if _, err := f.svc.SetPreference(staff, notify.SMS, notify.Birthday, false); !denied(err) {
		t.Fatalf("staff setting preferences: %v", err)
	}
	if _, err := f.svc.MyGrants(context.Background()); !denied(err) {
		t.Fatalf("anonymous grants: %v", err)
	}
	mine, err := f.svc.MyInbox(f.shopper(other), pageAll)
	if err != nil || len(mine.Items) != 0 {
		t.Fatalf("another shopper's inbox: %d items, %v", len(mine.Items), err)
	}
	own, err := f.svc.MyInbox(f.shopper(m), pageAll)
	if err != nil || len(own.Items) != 1 {
		t.Fatalf("own inbox: %d, %v", len(own.Items), err)
	}
	if n, err := f.svc.MarkInboxRead(f.shopper(other), []uuid.UUID{own.Items[0].ID}); err != nil || n != 0 {
		t.Fatalf("another shopper marked %d read: %v", n, err)
	}
	if got := len(f.deliveries(notify.LogFilter{})); got == 0 {
		t.Fatal("the mall's admin reads no log")
	}
}

func denied(err error) bool {
	return errors.Is(err, errs.ErrForbidden) || errors.Is(err, errs.ErrUnauthenticated) ||
		errors.Is(err, errs.ErrNotFound)
}
