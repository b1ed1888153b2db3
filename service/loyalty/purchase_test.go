package loyalty_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
)

func TestPurchaseDiscountPaymentEarningAndUpgrade(t *testing.T) {
	b := setup(t)
	ctx := b.admin
	for _, tier := range []loyalty.Tier{
		{Code: "silver", Name: "Silver", Rank: 1, Threshold: d("500"), DiscountRate: d("0.95"), PointsMultiplier: d("1.5")},
		{Code: "gold", Name: "Gold", Rank: 2, Threshold: d("2000"), DiscountRate: d("0.9"), PointsMultiplier: d("2")},
	} {
		tier.GroupID = b.org.GroupID
		if _, err := b.svc.AddTier(ctx, tier); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.svc.SetEarnRule(ctx, loyalty.EarnRule{GroupID: b.org.GroupID, MerchantID: b.org.MerchantID,
		PointsPerYuan: d("2"), CapPerPurchase: 3000}); err != nil {
		t.Fatal(err)
	}
	m := b.memberWith("1000")
	// No tier yet: full price; 600 paid (400 stored value + 200 cash) earns 1200 points;
	// the purchase crosses silver's threshold and upgrades in the same transaction.
	p := b.bought(m, "600", "400", "0")
	eq(t, "payable", p.Payable, "600")
	eq(t, "cash", p.Cash, "200")
	eq(t, "earned", p.PointsEarned, "1200")
	if !p.Upgraded {
		t.Error("want an upgrade to silver")
	}
	// Silver: 5% off 100 = 95; 1000 points pay 10 yuan; 85 paid in stored value and
	// cash earns floor(85 × 2 × 1.5) = 255.
	p = b.bought(m, "100", "50", "1000")
	eq(t, "payable", p.Payable, "95")
	eq(t, "points value", p.PointsValue, "10")
	eq(t, "cash", p.Cash, "35")
	eq(t, "earned", p.PointsEarned, "255")
	bal := b.balances(m.Card)
	eq(t, "stored value", bal.StoredValue, "550")
	eq(t, "points", bal.Points, "455")
	b.verify()
}

// Bad input gets a typed error and changes nothing.
func TestPurchaseBadInput(t *testing.T) {
	b := setup(t)
	m := b.memberWith("100")
	frozen, lost, replaced := b.member(), b.member(), b.member()
	ledgertest.SetStatus(t, b.db, frozen.Card, "frozen")
	ledgertest.SetStatus(t, b.db, lost.Card, "lost")
	ledgertest.SetStatus(t, b.db, replaced.Card, "replaced")
	taken := b.bought(m, "1", "0", "0")
	otherStaff := staffCtx(auth.RoleMerchantStaff, auth.LevelMerchant, b.org.OtherMerch)
	base := loyalty.PurchaseInput{MerchantID: b.org.MerchantID, CardNumber: m.Number, Amount: d("10"),
		StoredValue: d("5"), ReceiptNo: "X1"}
	cases := []struct {
		name string
		ctx  context.Context
		edit func(*loyalty.PurchaseInput)
		want error
	}{
		{"negative amount", b.staff, func(in *loyalty.PurchaseInput) { in.Amount = d("-1") }, errs.ErrInvalid},
		{"over-precise amount", b.staff, func(in *loyalty.PurchaseInput) { in.Amount = d("1.005") }, errs.ErrInvalid},
		{"negative stored value", b.staff, func(in *loyalty.PurchaseInput) { in.StoredValue = d("-1") }, errs.ErrInvalid},
		{"fractional points", b.staff, func(in *loyalty.PurchaseInput) { in.Points = d("1.5") }, errs.ErrInvalid},
		{"unknown card", b.staff, func(in *loyalty.PurchaseInput) { in.CardNumber = "NOPE" }, loyalty.ErrCardNotFound},
		{"frozen card", b.staff, func(in *loyalty.PurchaseInput) { in.CardNumber = frozen.Number }, loyalty.ErrCardFrozen},
		{"lost card", b.staff, func(in *loyalty.PurchaseInput) { in.CardNumber = lost.Number }, loyalty.ErrCardLost},
		{"replaced card", b.staff, func(in *loyalty.PurchaseInput) { in.CardNumber = replaced.Number }, loyalty.ErrCardReplaced},
		{"over the balance", b.staff, func(in *loyalty.PurchaseInput) { in.Amount, in.StoredValue = d("200"), d("101") }, loyalty.ErrInsufficient},
		{"more than due", b.staff, func(in *loyalty.PurchaseInput) { in.StoredValue = d("11") }, loyalty.ErrOverpay},
		{"points not held", b.staff, func(in *loyalty.PurchaseInput) { in.Points = d("100") }, loyalty.ErrInsufficientPoint},
		{"receipt taken", b.staff, func(in *loyalty.PurchaseInput) { in.ReceiptNo = taken.ReceiptNo }, loyalty.ErrReceiptTaken},
		{"another merchant's staff", otherStaff, func(*loyalty.PurchaseInput) {}, errs.ErrForbidden},
		{"a shopper", shopperCtx(m.ID), func(*loyalty.PurchaseInput) {}, errs.ErrForbidden},
		{"anonymous", context.Background(), func(*loyalty.PurchaseInput) {}, errs.ErrUnauthenticated},
	}
	b.recordsNothing("rejected purchases", func() {
		for _, c := range cases {
			in := base
			in.IdempotencyKey = key()
			c.edit(&in)
			if _, err := b.svc.RecordPurchase(c.ctx, in); !errors.Is(err, c.want) {
				t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
			}
		}
	})
	eq(t, "stored value", b.balances(m.Card).StoredValue, "100")
	b.verify()
}

// 50 concurrent purchases paying from one stored-value card never overdraw it, and
// every successful one is posted exactly once.
func TestConcurrentPurchasesNeverOverdraw(t *testing.T) {
	b := setup(t)
	m := b.memberWith("100")
	var ok atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := b.buy(m, "7", "7", "0")
			switch {
			case err == nil:
				ok.Add(1)
			case !errors.Is(err, loyalty.ErrInsufficient):
				t.Errorf("purchase: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 14 {
		t.Errorf("%d purchases succeeded, want 14", ok.Load())
	}
	if n := b.count(`SELECT count(*) FROM ledger_postings WHERE kind = 'purchase'`); n != int(ok.Load()) {
		t.Errorf("%d purchase postings for %d purchases", n, ok.Load())
	}
	if n := b.count(`SELECT count(*) FROM loyalty_purchases`); n != int(ok.Load()) {
		t.Errorf("%d purchase rows for %d purchases", n, ok.Load())
	}
	eq(t, "stored value", b.balances(m.Card).StoredValue, "2")
	b.verify()
}

// The same idempotency key sent 20 times at once yields one posting and one result;
// the key with other arguments is IDEMPOTENCY_KEY_REUSED.
func TestSameKeyTwentyTimes(t *testing.T) {
	b := setup(t)
	m := b.memberWith("100")
	in := loyalty.PurchaseInput{MerchantID: b.org.MerchantID, CardNumber: m.Number, Amount: d("30"),
		StoredValue: d("30"), ReceiptNo: "R-20", IdempotencyKey: "same-key"}
	ids := make(chan string, 20)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			p, err := b.svc.RecordPurchase(b.staff, in)
			if err != nil {
				t.Errorf("purchase: %v", err)
				return
			}
			ids <- p.ID.String()
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != 1 {
		t.Errorf("%d different results, want 1", len(seen))
	}
	if n := b.count(`SELECT count(*) FROM ledger_postings WHERE kind = 'purchase'`); n != 1 {
		t.Errorf("%d postings, want 1", n)
	}
	eq(t, "stored value", b.balances(m.Card).StoredValue, "70")
	in.Amount = d("31")
	if _, err := b.svc.RecordPurchase(b.staff, in); !errors.Is(err, errs.ErrIdempotencyKey) {
		t.Errorf("reused key: err = %v", err)
	}
	b.verify()
}

func TestSupplementaryCardSpendsFromPrimaryWithinLimit(t *testing.T) {
	b := setup(t)
	m := b.memberWith("500")
	kid := b.org.Member(t, b.db)
	supp, number := b.org.Card(t, b.db, kid)
	if _, err := b.db.Pool.Exec(context.Background(), `UPDATE cards SET primary_card_id = $2, spend_limit = 100 WHERE id = $1`,
		supp, m.Card); err != nil {
		t.Fatal(err)
	}
	buy := func(sv string) error {
		_, err := b.buy(member{ID: kid, Card: supp, Number: number}, sv, sv, "0")
		return err
	}
	if err := buy("60"); err != nil {
		t.Fatal(err)
	}
	if err := buy("50"); !errors.Is(err, loyalty.ErrSpendLimit) {
		t.Fatalf("over the daily limit: err = %v", err)
	}
	if err := buy("40"); err != nil {
		t.Fatal(err)
	}
	eq(t, "primary stored value", b.balances(m.Card).StoredValue, "400")
	eq(t, "primary points", b.balances(m.Card).Points, "100")
	b.clock.Add(24 * 3600e9)
	if err := buy("50"); err != nil {
		t.Fatalf("next day: %v", err)
	}
	b.verify()
}
