package resolvers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/payments/wechatpaytest"
)

const (
	startRechargeQ = `mutation($mall: ID!, $card: ID!, $key: String!) { startCardRecharge(input: {mallId: $mall, cardId: $card,
		amount: "50", idempotencyKey: $key}) { order { id status amount mode purpose referenceId }
		payment { appId timeStamp nonceStr package signType paySign } userErrors { code field } } }`
	paymentOrderQ  = `query($id: ID!) { paymentOrder(id: $id) { id status amount transactionId refunds { status } } }`
	myOrdersQ      = `query { myPaymentOrders(first: 10) { edges { node { id status } } } }`
	mallOrdersQ    = `query($mall: ID!) { paymentOrders(mallId: $mall, status: PAID, first: 10) { edges { node { id outTradeNo } } } }`
	notificationsQ = `query($mall: ID!) { paymentNotifications(mallId: $mall, first: 10) { edges { node { outcome reason source eventType } } } }`
	refundPaymentQ = `mutation($id: ID!, $key: String!) { refundPayment(input: {orderId: $id, amount: "50", reason: "r", idempotencyKey: $key}) {
		refund { status } userErrors { code } } }`
	paymentNodeQ = `query($id: ID!) { node(id: $id) { ... on PaymentOrder { status } } }`
)

// paymentsAPI is the schema with WeChat Pay configured against the fake (keys made
// for the test), whose notifications reach the app's own HTTP handler.
func paymentsAPI(t *testing.T) (api, *wechatpaytest.Fake) {
	t.Helper()
	dir := t.TempDir()
	keys, err := wechatpaytest.DevKeys(dir, "1900000109", servicetest.WeChatAppID)
	if err != nil {
		t.Fatal(err)
	}
	fake := wechatpaytest.New(keys)
	paySrv := httptest.NewServer(fake)
	t.Cleanup(paySrv.Close)
	var app atomic.Value
	notify := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		app.Load().(http.Handler).ServeHTTP(w, r)
	}))
	t.Cleanup(notify.Close)
	_, wx := servicetest.FakeWeChat(t)
	a := newAPI(t, wx,
		servicetest.Setting("ATRIUM_WECHATPAY_MCHID", keys.MchID),
		servicetest.Setting("ATRIUM_WECHATPAY_APPID", keys.AppID),
		servicetest.Setting("ATRIUM_WECHATPAY_MCH_SERIAL", keys.MchSerial),
		servicetest.Setting("ATRIUM_WECHATPAY_MCH_KEY_FILE", filepath.Join(dir, wechatpaytest.MerchantKeyFile)),
		servicetest.Setting("ATRIUM_WECHATPAY_PUBLIC_KEY_FILE", filepath.Join(dir, wechatpaytest.PublicKeyFile)),
		servicetest.Setting("ATRIUM_WECHATPAY_PUBLIC_KEY_ID", keys.PublicKeyID),
		servicetest.Setting("ATRIUM_WECHATPAY_APIV3_KEY", keys.APIv3Key),
		servicetest.Setting("ATRIUM_WECHATPAY_NOTIFY_URL", notify.URL+"/pay/wechatpay/notify"),
		servicetest.Setting("ATRIUM_WECHATPAY_API_BASE", paySrv.URL))
	app.Store(a.App.Handler)
	return a, fake
}

// wechatShopper is a member logged in with WeChat and registered at o's mall, with a
// stored-value card: the viewer and the card's global ID.
func wechatShopper(t *testing.T, a api, o ledgertest.Org) (*auth.Viewer, string) {
	t.Helper()
	id, _, err := a.Members.ShopperLogin(context.Background(), wechattest.OpenID("code-"+service.NewID().String()), "")
	if err != nil {
		t.Fatal(err)
	}
	v := servicetest.Shopper(id)
	if _, err := a.Members.RegisterShopper(servicetest.Context(v), members.ShopperRegistration{MallID: o.MallID,
		PhoneCode: "p-" + service.NewID().String(), Profile: members.Profile{Name: "S"}}); err != nil {
		t.Fatal(err)
	}
	sys := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: o.GroupID}))
	c, err := a.Members.IssueCard(sys, members.IssueCardInput{MemberID: id, CardTypeID: o.CardType})
	if err != nil {
		t.Fatal(err)
	}
	return v, relay.ID("Card", c.ID)
}

// TestPaymentsGraphQL: a shopper recharges online through the API; WeChat Pay's
// notification reaches the HTTP endpoint; every operation × caller gets what it may:
// another shopper, a tenant, finance of another mall get nothing.
func TestPaymentsGraphQL(t *testing.T) {
	t.Parallel()
	a, fake := paymentsAPI(t)
	o := ledgertest.NewOrg(t, a.DB)
	other, err := a.Org.CreateMall(auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: o.GroupID})),
		org.CreateMallInput{GroupID: o.GroupID, Code: "o" + service.NewID().String()[24:], Name: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	me, card := wechatShopper(t, a, o)
	someone, _ := wechatShopper(t, a, o)
	shopper, stranger := servicetest.Context(me), servicetest.Context(someone)
	tenant := servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, o.MerchantID))
	finance := servicetest.Context(servicetest.Staff(auth.RoleFinance, auth.LevelMall, o.MallID))
	elsewhere := servicetest.Context(servicetest.Staff(auth.RoleFinance, auth.LevelMall, other.ID))
	mall := relay.ID("Mall", o.MallID)
	vars := func(kv ...any) map[string]any {
		m := map[string]any{"key": service.NewID().String(), "mall": mall, "card": card}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}

	out := a.Do(shopper, startRechargeQ, vars())
	id, _ := field(out, "data", "startCardRecharge", "order", "id").(string)
	if id == "" || field(out, "data", "startCardRecharge", "order", "status") != "CREATED" ||
		field(out, "data", "startCardRecharge", "payment", "signType") != "RSA" {
		t.Fatalf("startCardRecharge: %v", out)
	}
	if got := userError(a.Do(stranger, startRechargeQ, vars()), "startCardRecharge"); got != "CARD_NOT_FOUND input.cardId" {
		t.Errorf("another shopper's card: %s", got)
	}
	if got := errorCode(a.Do(tenant, startRechargeQ, vars())); got != "FORBIDDEN" {
		t.Errorf("a tenant starts a recharge: %v", got)
	}

	sid, _ := relay.ParseAs("PaymentOrder", id)
	po, err := a.Payments.Order(shopper, sid)
	if err != nil {
		t.Fatal(err)
	}
	if codes, err := fake.Pay(po.OutTradeNo, 2, wechatpaytest.Intact); err != nil || codes[0] != http.StatusNoContent ||
		codes[1] != http.StatusNoContent {
		t.Fatalf("notification through the HTTP endpoint: %v %v", codes, err)
	}
	if got := field(a.Do(shopper, paymentOrderQ, vars("id", id)), "data", "paymentOrder", "status"); got != "PAID" {
		t.Errorf("payer reads the order: %v", got)
	}
	if got := field(a.Do(shopper, paymentNodeQ, vars("id", id)), "data", "node", "status"); got != "PAID" {
		t.Errorf("node(id:) for the payer: %v", got)
	}
	if n := len(field(a.Do(shopper, myOrdersQ, nil), "data", "myPaymentOrders", "edges").([]any)); n != 1 {
		t.Errorf("my orders: %d", n)
	}
	if n := len(field(a.Do(stranger, myOrdersQ, nil), "data", "myPaymentOrders", "edges").([]any)); n != 0 {
		t.Errorf("another shopper's orders: %d", n)
	}
	if n := len(field(a.Do(finance, mallOrdersQ, vars()), "data", "paymentOrders", "edges").([]any)); n != 1 {
		t.Errorf("finance lists %d paid orders", n)
	}
	recs := field(a.Do(finance, notificationsQ, vars()), "data", "paymentNotifications", "edges").([]any)
	if len(recs) != 2 {
		t.Errorf("notifications: %v", recs)
	}
	if got := userError(a.Do(finance, refundPaymentQ, vars("id", id)), "refundPayment"); got != "RECHARGE_NOT_REFUNDABLE " {
		t.Errorf("refund of a recharge: %q", got)
	}
	for name, c := range map[string]struct {
		ctx   context.Context
		query string
		vars  map[string]any
		want  string
	}{
		"another shopper reads the order":        {stranger, paymentOrderQ, vars("id", id), "NOT_FOUND"},
		"a tenant reads the order":               {tenant, paymentOrderQ, vars("id", id), "NOT_FOUND"},
		"finance of another mall reads it":       {elsewhere, paymentOrderQ, vars("id", id), "NOT_FOUND"},
		"another shopper: node(id:)":             {stranger, paymentNodeQ, vars("id", id), "NOT_FOUND"},
		"a tenant: my orders":                    {tenant, myOrdersQ, nil, "FORBIDDEN"},
		"finance of another mall lists orders":   {elsewhere, mallOrdersQ, vars(), "FORBIDDEN"},
		"a tenant lists orders":                  {tenant, mallOrdersQ, vars(), "FORBIDDEN"},
		"a shopper lists orders":                 {shopper, mallOrdersQ, vars(), "FORBIDDEN"},
		"finance of another mall: notifications": {elsewhere, notificationsQ, vars(), "FORBIDDEN"},
		"a shopper: notifications":               {shopper, notificationsQ, vars(), "FORBIDDEN"},
		"finance of another mall refunds":        {elsewhere, refundPaymentQ, vars("id", id), "NOT_FOUND"},
		"a tenant refunds":                       {tenant, refundPaymentQ, vars("id", id), "FORBIDDEN"},
		"a shopper refunds":                      {shopper, refundPaymentQ, vars("id", id), "FORBIDDEN"},
		"anonymous reads the order":              {context.Background(), paymentOrderQ, vars("id", id), "UNAUTHENTICATED"},
	} {
		if got := errorCode(a.Do(c.ctx, c.query, c.vars)); got != c.want {
			t.Errorf("%s: %v, want %s", name, got, c.want)
		}
	}
}
