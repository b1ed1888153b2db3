package loyalty_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	orgs "github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func key() string                { return service.NewID().String() }

type bundle struct {
	t      testing.TB
	db     *storage.DB
	redis  storage.Redis
	ledger *ledger.Service
	svc    *loyalty.Service
	cps    *coupons.Service
	orgs   *orgs.Service
	clock  *clock
	org    ledgertest.Org
	admin  context.Context // group admin
	staff  context.Context // merchant staff of org.MerchantID
	desk   context.Context // service desk of org.MallID
}

func setup(t testing.TB) bundle {
	if tt, ok := t.(*testing.T); ok {
		tt.Parallel()
	}
	db := storetest.DB(t)
	r := storetest.Redis(t)
	c := &clock{t: time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC)}
	l := ledger.New(ledger.Deps{DB: db, Now: c.Now})
	org := ledgertest.NewOrg(t, db)
	orgSvc := orgs.New(orgs.Deps{DB: db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)})
	cps := coupons.New(coupons.Deps{DB: db, Redis: r, Org: orgSvc, Codes: redemption.New(redemption.Deps{DB: db, Redis: r, Org: orgSvc, Config: redemption.Config{}, Now: c.Now}), Now: c.Now})
	b := bundle{t: t, db: db, redis: r, ledger: l, cps: cps, orgs: orgSvc, clock: c, org: org,
		svc: loyalty.New(loyalty.Deps{DB: db, Ledger: l, Redis: r, Org: orgSvc, Coupons: cps, Zones: orgSvc.Zones(),
			Now: c.Now})}
	b.admin = staffCtx(auth.RoleAdmin, auth.LevelGroup, org.GroupID)
	b.staff = staffCtx(auth.RoleMerchantStaff, auth.LevelMerchant, org.MerchantID)
	b.desk = staffCtx(auth.RoleServiceDesk, auth.LevelMall, org.MallID)
	return b
}

func staffCtx(role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
}

func shopperCtx(member uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: member})
}

// member is a new member with one card.
type member struct {
	ID     uuid.UUID
	Card   uuid.UUID
	Number string
}

func (b bundle) member() member {
	m := member{ID: b.org.Member(b.t, b.db)}
	m.Card, m.Number = b.org.Card(b.t, b.db, m.ID)
	return m
}

func (b bundle) recharge(m member, amount string) {
	b.t.Helper()
	if _, err := b.svc.RechargeCard(b.desk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: m.Number,
		Amount: d(amount), IdempotencyKey: key()}); err != nil {
		b.t.Fatalf("recharge: %v", err)
	}
}

func (b bundle) buy(m member, amount, sv, pts string) (loyalty.Purchase, error) {
	return b.svc.RecordPurchase(b.staff, loyalty.PurchaseInput{MerchantID: b.org.MerchantID, CardNumber: m.Number,
		Amount: d(amount), StoredValue: d(sv), Points: d(pts), ReceiptNo: "R" + key()[24:], IdempotencyKey: key()})
}

func (b bundle) balances(card uuid.UUID) ledger.Balances {
	b.t.Helper()
	bal, err := b.ledger.CardBalances(context.Background(), card)
	if err != nil {
		b.t.Fatal(err)
	}
	return bal
}

func (b bundle) count(sql string, args ...any) int {
	b.t.Helper()
	var n int
	if err := b.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		b.t.Fatal(err)
	}
	return n
}

func (b bundle) verify() {
	b.t.Helper()
	breaches, err := b.ledger.Verify(context.Background())
	if err != nil {
		b.t.Fatal(err)
	}
	for _, br := range breaches {
		b.t.Errorf("breach: %s", br)
	}
}

func eq(t testing.TB, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(d(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}
