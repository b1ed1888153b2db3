package billing_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/payments"
	"github.com/atrium-mall/atrium/service/payments/wechatpaytest"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

// payBundle is the payments context of a billing fixture, over WeChat Pay's fake (keys
// generated for the test) with its notification endpoint served by httptest.
type payBundle struct {
	svc    *payments.Service
	fake   *wechatpaytest.Fake
	fapiao *billing.FakeFapiao
}

func newPayBundle(t testing.TB, base servicetest.Base, lty *loyalty.Service, objs storage.Objects) payBundle {
	t.Helper()
	const mchID, appID = "1900000109", "wx-test-app"
	wx := httptest.NewServer(wechattest.New(appID, "secret"))
	t.Cleanup(wx.Close)
	mbs := members.New(members.Deps{DB: base.DB, Objects: objs, Org: base.Org, Ledger: base.Ledger, Now: base.Clock.Now,
		WeChat: auth.NewWeChat(wx.URL, appID, "secret", &http.Client{Timeout: 5 * time.Second}),
		Config: members.Config{CodeKey: members.DeriveCodeKey([]byte("billing-test"))}})
	keys, err := wechatpaytest.NewKeys(mchID, appID)
	if err != nil {
		t.Fatal(err)
	}
	fake := wechatpaytest.New(keys)
	fake.Now = base.Clock.Now
	paySrv := httptest.NewServer(fake)
	t.Cleanup(paySrv.Close)
	var svc *payments.Service
	notify := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		svc.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(notify.Close)
	wp, err := payments.NewWeChatPay(keys.Config(paySrv.URL, notify.URL+payments.NotifyPath),
		&http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	svc = payments.New(payments.Deps{DB: base.DB, Org: base.Org, Members: mbs, Loyalty: lty, WeChatPay: wp,
		Now: base.Clock.Now})
	return payBundle{svc: svc, fake: fake, fapiao: &billing.FakeFapiao{}}
}
