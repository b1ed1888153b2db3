package commissions_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/commissions"
	"github.com/atrium-mall/atrium/service/commissions/rule"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func key() string                { return service.NewID().String() }

type fixture struct {
	t      *testing.T
	set    *servicetest.Set
	clock  *redemptiontest.Clock
	w      redemptiontest.World
	admin  context.Context // group admin
	till   context.Context // merchant staff of MerchantA (the cashier)
	server uuid.UUID       // a staff member of MerchantA
	member uuid.UUID
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	t.Parallel()
	clock := redemptiontest.NewClock(time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC))
	set := servicetest.New(t, storetest.DB(t), servicetest.Clock(clock.Now))
	w := redemptiontest.NewWorld(t, set.DB)
	f := fixture{t: t, set: set, clock: clock, w: w,
		admin: servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, w.GroupID)),
		till:  servicetest.Context(servicetest.Staff(auth.RoleMerchantStaff, auth.LevelMerchant, w.MerchantA))}
	st, err := set.Org.CreateStaff(f.admin, org.CreateStaffInput{Username: "srv" + key()[:8], DisplayName: "Server",
		Password: "correct-horse-1", Grants: []auth.Grant{{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant,
			ScopeID: w.MerchantA}}})
	if err != nil {
		t.Fatal(err)
	}
	f.server = st.ID
	f.member = w.Member(t, set.DB)
	w.Card(t, f.member)
	return f
}

func (f fixture) rule(scope, k, kind, v string) {
	f.t.Helper()
	r := commissions.Rule{MerchantID: f.w.MerchantA, Scope: scope, Key: k, Kind: kind}
	if kind == rule.KindPercent {
		r.Rate = d(v)
	} else {
		r.Amount = d(v)
	}
	if _, err := f.set.Commissions.SetRule(f.admin, r); err != nil {
		f.t.Fatal(err)
	}
}

func (f fixture) buy(receipt, amount string, lines ...loyalty.PurchaseLine) loyalty.Purchase {
	f.t.Helper()
	p, err := f.set.Loyalty.RecordPurchase(f.till, loyalty.PurchaseInput{MerchantID: f.w.MerchantA, MemberID: f.member,
		Amount: d(amount), ReceiptNo: receipt, IdempotencyKey: key(), ServedBy: f.server, Lines: lines})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f fixture) refund(receipt, amount string) {
	f.t.Helper()
	if _, err := f.set.Loyalty.RefundPurchase(f.till, loyalty.RefundInput{MerchantID: f.w.MerchantA, ReceiptNo: receipt,
		Amount: d(amount), IdempotencyKey: key()}); err != nil {
		f.t.Fatal(err)
	}
}

// commission is the server's net commission over the lines of month.
func (f fixture) commission(month string) decimal.Decimal {
	f.t.Helper()
	lines, err := f.set.Commissions.Lines(f.admin, f.w.MerchantA, month)
	if err != nil {
		f.t.Fatal(err)
	}
	sum := decimal.Zero
	for _, l := range lines {
		if l.StaffID == f.server {
			sum = sum.Add(l.Commission)
		}
	}
	return sum
}

// TestCommissionPrecedence: the item rule beats the category rule, which beats the
// merchant default, line by line.
func TestCommissionPrecedence(t *testing.T) {
	f := newFixture(t)
	f.rule(rule.ScopeMerchant, "", rule.KindPercent, "1")
	f.rule(rule.ScopeCategory, "hair", rule.KindPercent, "10")
	f.rule(rule.ScopeItem, "PERM", rule.KindFixed, "25")
	f.buy("R1", "600.00",
		loyalty.PurchaseLine{Code: "PERM", Category: "hair", Quantity: 2, Amount: d("400.00")}, // fixed 25 × 2 = 50
		loyalty.PurchaseLine{Code: "CUT", Category: "hair", Quantity: 1, Amount: d("100.00")},  // 10 % = 10
		loyalty.PurchaseLine{Code: "MASK", Category: "care", Quantity: 1, Amount: d("100.00")}) // 1 % = 1
	if got := f.commission("2026-03"); !got.Equal(d("61.00")) {
		t.Errorf("commission %s, want 61.00", got)
	}
}

// TestCommissionPartialRefundReducesInProportion: a purchase refunded in part keeps
// the unrefunded share of its commission; several refunds add up exactly, never below
// zero, and a replayed refund takes nothing twice.
func TestCommissionPartialRefundReducesInProportion(t *testing.T) {
	f := newFixture(t)
	f.rule(rule.ScopeMerchant, "", rule.KindPercent, "10")
	f.buy("R1", "300.00", loyalty.PurchaseLine{Code: "A", Category: "x", Quantity: 1, Amount: d("300.00")})
	if got := f.commission("2026-03"); !got.Equal(d("30.00")) {
		t.Fatalf("commission %s, want 30.00", got)
	}
	t.Run("a third refunded takes a third", func(t *testing.T) {
		f.refund("R1", "100.00")
		if got := f.commission("2026-03"); !got.Equal(d("20.00")) {
			t.Errorf("commission %s, want 20.00", got)
		}
	})
	t.Run("a replayed refund takes nothing more", func(t *testing.T) {
		in := loyalty.RefundInput{MerchantID: f.w.MerchantA, ReceiptNo: "R1", Amount: d("50.00"), IdempotencyKey: "same"}
		for range 2 {
			if _, err := f.set.Loyalty.RefundPurchase(f.till, in); err != nil {
				t.Fatal(err)
			}
		}
		if got := f.commission("2026-03"); !got.Equal(d("15.00")) {
			t.Errorf("commission %s, want 15.00", got)
		}
	})
	t.Run("the rest refunded leaves zero, never below", func(t *testing.T) {
		f.refund("R1", "0")
		if got := f.commission("2026-03"); !got.IsZero() {
			t.Errorf("commission %s, want 0", got)
		}
	})
}

// TestCommissionSettlementEqualsSumOfLines: the monthly settlement of each staff
// member equals the sum of their lines; a refund after the month is a negative line of
// the next month's settlement, and a settled month is closed.
func TestCommissionSettlementEqualsSumOfLines(t *testing.T) {
	f := newFixture(t)
	f.rule(rule.ScopeMerchant, "", rule.KindPercent, "5")
	f.buy("R1", "200.00")
	f.buy("R2", "99.99", loyalty.PurchaseLine{Code: "B", Quantity: 3, Amount: d("99.99")})
	if _, err := f.set.Commissions.Settle(f.admin, f.w.MerchantA, "2026-03"); !errors.Is(err, commissions.ErrMonthOpen) {
		t.Fatalf("settling the running month: %v", err)
	}
	f.clock.Set(time.Date(2026, 4, 2, 4, 0, 0, 0, time.UTC))
	sts, err := f.set.Commissions.Settle(f.admin, f.w.MerchantA, "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 1 || sts[0].StaffID != f.server || !sts[0].Total.Equal(f.commission("2026-03")) ||
		!sts[0].Total.Equal(d("15.00")) {
		t.Fatalf("settlement %+v, lines sum %s", sts, f.commission("2026-03"))
	}
	if _, err := f.set.Commissions.Settle(f.admin, f.w.MerchantA, "2026-03"); !errors.Is(err, commissions.ErrMonthSettled) {
		t.Errorf("second settlement: %v", err)
	}
	f.refund("R1", "100.00") // in April: -5.00 in April, March untouched
	if got := f.commission("2026-03"); !got.Equal(d("15.00")) {
		t.Errorf("March after the refund %s", got)
	}
	if got := f.commission("2026-04"); !got.Equal(d("-5.00")) {
		t.Errorf("April %s, want -5.00", got)
	}
	f.clock.Set(time.Date(2026, 5, 1, 4, 0, 0, 0, time.UTC))
	sts, err = f.set.Commissions.Settle(f.admin, f.w.MerchantA, "2026-04")
	if err != nil || len(sts) != 1 || !sts[0].Total.Equal(d("-5.00")) {
		t.Errorf("April settlement %+v: %v", sts, err)
	}
}

// TestCommissionRanking: staff by commission and products by net sales, ranked.
func TestCommissionRanking(t *testing.T) {
	f := newFixture(t)
	f.rule(rule.ScopeMerchant, "", rule.KindPercent, "10")
	f.buy("R1", "300.00", loyalty.PurchaseLine{Code: "A", Quantity: 1, Amount: d("100.00")},
		loyalty.PurchaseLine{Code: "B", Quantity: 2, Amount: d("200.00")})
	f.buy("R2", "150.00", loyalty.PurchaseLine{Code: "A", Quantity: 1, Amount: d("150.00")})
	f.refund("R2", "150.00")
	r, err := f.set.Commissions.Ranking(f.admin, f.w.MerchantA, "2026-03", "2026-03", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Products) != 2 || r.Products[0].Code != "B" || r.Products[0].Rank != 1 || !r.Products[1].Sales.Equal(d("100.00")) {
		t.Errorf("products %+v", r.Products)
	}
	if len(r.Staff) != 1 || !r.Staff[0].Commission.Equal(d("30.00")) {
		t.Errorf("staff %+v", r.Staff)
	}
}

// TestCommissionPurchaseChecks: lines must add up to the amount; the server must be
// staff of the merchant; neither failure records the purchase.
func TestCommissionPurchaseChecks(t *testing.T) {
	f := newFixture(t)
	_, err := f.set.Loyalty.RecordPurchase(f.till, loyalty.PurchaseInput{MerchantID: f.w.MerchantA, MemberID: f.member,
		Amount: d("100.00"), ReceiptNo: "X1", IdempotencyKey: key(),
		Lines: []loyalty.PurchaseLine{{Code: "A", Quantity: 1, Amount: d("99.00")}}})
	if !errors.Is(err, loyalty.ErrLinesSum) {
		t.Errorf("lines not adding up: %v", err)
	}
	_, err = f.set.Loyalty.RecordPurchase(f.till, loyalty.PurchaseInput{MerchantID: f.w.MerchantA, MemberID: f.member,
		Amount: d("100.00"), ReceiptNo: "X2", IdempotencyKey: key(), ServedBy: uuid.New()})
	if !errors.Is(err, commissions.ErrServerNotStaff) {
		t.Errorf("a stranger serving: %v", err)
	}
	// The stranger's purchase rolled back: its receipt number is free.
	f.buy("X2", "100.00")
}
