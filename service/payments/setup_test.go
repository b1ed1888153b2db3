package payments_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar/calendartest"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/payments"
	"github.com/atrium-mall/atrium/service/payments/wechatpaytest"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

const (
	mchID = "1900000109"
	appID = "wx-test-app"
)

// bundle is the payments context over its own database, WeChat Pay's fake (with keys
// generated for the test) and a notification endpoint served by httptest.
type bundle struct {
	t       *testing.T
	db      *storage.DB
	clock   *calendartest.Clock
	ledger  *ledger.Service
	loyalty *loyalty.Service
	members *members.Service
	orgs    *org.Service
	svc     *payments.Service
	fake    *wechatpaytest.Fake
	org     ledgertest.Org
	admin   context.Context
	finance context.Context
}

func setup(t *testing.T) bundle {
	t.Parallel()
	base := servicetest.New(t, time.Now().UTC().Truncate(time.Second))
	wx := wechattest.New(appID, "secret")
	wxSrv := httptest.NewServer(wx)
	t.Cleanup(wxSrv.Close)
	mbs := members.New(members.Deps{DB: base.DB, Objects: mustObjects(t), Org: base.Org, Ledger: base.Ledger,
		Now: base.Clock.Now, WeChat: auth.NewWeChat(wxSrv.URL, appID, "secret", &http.Client{Timeout: 5 * time.Second}),
		Config: members.Config{CodeKey: members.DeriveCodeKey([]byte("payments-test"))}})
	cps := coupons.New(coupons.Deps{DB: base.DB, Redis: base.Redis, Org: base.Org, Codes: base.Codes, Now: base.Clock.Now})
	lty := loyalty.New(loyalty.Deps{DB: base.DB, Ledger: base.Ledger, Redis: base.Redis, Org: base.Org, Coupons: cps,
		Zones: base.Org.Zones(), Now: base.Clock.Now})
	keys, err := wechatpaytest.NewKeys(mchID, appID)
	if err != nil {
		t.Fatal(err)
	}
	fake := wechatpaytest.New(keys)
	fake.Now = base.Clock.Now
	paySrv := httptest.NewServer(fake)
	t.Cleanup(paySrv.Close)
	// The notification endpoint: the service's handler, reached at its own address.
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
	svc.Register(payments.PurposeRecharge, payments.RechargeSettler{Loyalty: lty, Org: base.Org})
	o := ledgertest.NewOrg(t, base.DB)
	return bundle{t: t, db: base.DB, clock: base.Clock, ledger: base.Ledger, loyalty: lty, members: mbs, orgs: base.Org,
		svc: svc, fake: fake, org: o,
		admin:   auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: o.GroupID})),
		finance: staffCtx(auth.RoleFinance, auth.LevelMall, o.MallID)}
}

func mustObjects(t *testing.T) storage.Objects {
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1/objects", []byte("payments-test-object-signing-key"))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func staffCtx(role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
}

func shopperCtx(member uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: member})
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func key() string                { return service.NewID().String() }

// shopper is a member who logged in with WeChat (an openid), registered at the mall,
// and holds a stored-value card.
type shopper struct {
	ID   uuid.UUID
	Card uuid.UUID
	ctx  context.Context
}

func (b bundle) shopper() shopper {
	b.t.Helper()
	code := "login-" + key()
	id, _, err := b.members.ShopperLogin(context.Background(), wechattest.OpenID(code), "")
	if err != nil {
		b.t.Fatal(err)
	}
	ctx := shopperCtx(id)
	if _, err := b.members.RegisterShopper(ctx, members.ShopperRegistration{MallID: b.org.MallID, PhoneCode: "p-" + key(),
		Profile: members.Profile{Name: "Shopper"}}); err != nil {
		b.t.Fatal(err)
	}
	card, err := b.members.IssueCard(b.admin, members.IssueCardInput{MemberID: id, CardTypeID: b.org.CardType})
	if err != nil {
		b.t.Fatal(err)
	}
	return shopper{ID: id, Card: card.ID, ctx: ctx}
}

// start starts an online recharge of amount that must succeed.
func (b bundle) start(s shopper, amount string) payments.Prepaid {
	b.t.Helper()
	p, err := b.svc.StartCardRecharge(s.ctx, payments.CardRechargeInput{MallID: b.org.MallID, CardID: s.Card,
		Amount: d(amount), IdempotencyKey: key()})
	if err != nil {
		b.t.Fatalf("start recharge: %v", err)
	}
	return p
}

func (b bundle) storedValue(card uuid.UUID) decimal.Decimal {
	b.t.Helper()
	bal, err := b.ledger.CardBalances(context.Background(), card)
	if err != nil {
		b.t.Fatal(err)
	}
	return bal.StoredValue
}

func (b bundle) order(id uuid.UUID) payments.Order {
	b.t.Helper()
	o, err := b.svc.Order(b.finance, id)
	if err != nil {
		b.t.Fatal(err)
	}
	return o
}

func (b bundle) count(sql string, args ...any) int {
	b.t.Helper()
	var n int
	if err := b.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		b.t.Fatal(err)
	}
	return n
}

// notifications lists the mall's notification records, newest first.
func (b bundle) notifications() []payments.NotificationRecord {
	b.t.Helper()
	res, err := b.svc.NotificationsOfMall(b.finance, b.org.MallID, "", pageAll)
	if err != nil {
		b.t.Fatal(err)
	}
	return res.Items
}

func eq(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(d(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func is(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", what, err, want)
	}
}

// testSettler records what it settled and refunded (the TEST purpose).
type testSettler struct {
	settled, refunded chan payments.Order
}

func (s testSettler) SettleTx(_ context.Context, _ pgx.Tx, o payments.Order) error {
	s.settled <- o
	return nil
}

func (s testSettler) RefundTx(_ context.Context, _ pgx.Tx, o payments.Order, _ payments.Refund) error {
	s.refunded <- o
	return nil
}
