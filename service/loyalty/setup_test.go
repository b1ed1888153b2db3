package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar/calendartest"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	orgs "github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

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
	clock  *calendartest.Clock
	org    ledgertest.Org
	admin  context.Context // group admin
	staff  context.Context // merchant staff of org.MerchantID
	desk   context.Context // service desk of org.MallID
}

func setup(t testing.TB) bundle {
	if tt, ok := t.(*testing.T); ok {
		tt.Parallel()
	}
	base := servicetest.New(t, time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC))
	db, r, orgSvc := base.DB, base.Redis, base.Org
	cps := coupons.New(coupons.Deps{DB: db, Redis: r, Org: orgSvc, Codes: base.Codes, Now: base.Clock.Now})
	org := ledgertest.NewOrg(t, db)
	return bundle{t: t, db: db, redis: r, ledger: base.Ledger, cps: cps, orgs: orgSvc, clock: base.Clock, org: org,
		svc: loyalty.New(loyalty.Deps{DB: db, Ledger: base.Ledger, Redis: r, Org: orgSvc, Coupons: cps, Zones: orgSvc.Zones(),
			Now: base.Clock.Now}),
		admin: staffCtx(auth.RoleAdmin, auth.LevelGroup, org.GroupID),
		staff: staffCtx(auth.RoleMerchantStaff, auth.LevelMerchant, org.MerchantID),
		desk:  staffCtx(auth.RoleServiceDesk, auth.LevelMall, org.MallID)}
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

// memberWith is a new member whose card holds amount of stored value.
func (b bundle) memberWith(amount string) member {
	b.t.Helper()
	m := b.member()
	b.recharge(m, amount)
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

// bought is buy that must succeed.
func (b bundle) bought(m member, amount, sv, pts string) loyalty.Purchase {
	b.t.Helper()
	p, err := b.buy(m, amount, sv, pts)
	if err != nil {
		b.t.Fatalf("purchase: %v", err)
	}
	return p
}

// refund refunds amount of p ("": all that is left) at the org's merchant.
func (b bundle) refund(p loyalty.Purchase, amount string) (loyalty.Refund, error) {
	in := loyalty.RefundInput{MerchantID: b.org.MerchantID, ReceiptNo: p.ReceiptNo, IdempotencyKey: key()}
	if amount != "" {
		in.Amount = d(amount)
	}
	return b.svc.RefundPurchase(b.staff, in)
}

// refunded is refund that must succeed.
func (b bundle) refunded(p loyalty.Purchase, amount string) loyalty.Refund {
	b.t.Helper()
	r, err := b.refund(p, amount)
	if err != nil {
		b.t.Fatalf("refund: %v", err)
	}
	return r
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

// recordsNothing runs fn, whose calls must all be refused, and checks that they posted
// nothing to the ledger and recorded no purchase.
func (b bundle) recordsNothing(what string, fn func()) {
	b.t.Helper()
	counts := func() (int, int) {
		return b.count(`SELECT count(*) FROM ledger_postings`), b.count(`SELECT count(*) FROM loyalty_purchases`)
	}
	postings, purchases := counts()
	fn()
	if p, q := counts(); p != postings || q != purchases {
		b.t.Errorf("after %s: postings %d → %d, purchases %d → %d", what, postings, p, purchases, q)
	}
}

func (b bundle) verify() { b.t.Helper(); ledgertest.Verify(b.t, b.ledger) }

func eq(t testing.TB, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(d(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}
