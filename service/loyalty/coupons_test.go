package loyalty_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty"
)

// coupon creates and activates a cash coupon template of the org's mall (face 20, min
// spend 100, at the given merchants; any merchant when none) and claims one for m.
func (b bundle) coupon(m member, merchants ...uuid.UUID) uuid.UUID {
	b.t.Helper()
	return b.couponOf(m, coupons.TemplateInput{Name: "20 off", Kind: coupons.KindCash, FaceValue: d("20"),
		MinSpend: d("100"), MerchantIDs: merchants})
}

func (b bundle) couponStatus(id uuid.UUID) string {
	b.t.Helper()
	var status string
	if err := b.db.Pool.QueryRow(context.Background(), `SELECT status FROM coupons WHERE id = $1`, id).Scan(&status); err != nil {
		b.t.Fatal(err)
	}
	return status
}

func (b bundle) buyWith(m member, amount, sv string, ids ...uuid.UUID) (loyalty.Purchase, error) {
	return b.svc.RecordPurchase(b.staff, loyalty.PurchaseInput{MerchantID: b.org.MerchantID, CardNumber: m.Number,
		Amount: d(amount), StoredValue: d(sv), Points: d("0"), ReceiptNo: "R" + key()[24:], IdempotencyKey: key(),
		CouponIDs: ids})
}

// boughtWith is buyWith that must succeed.
func (b bundle) boughtWith(m member, amount, sv string, ids ...uuid.UUID) loyalty.Purchase {
	b.t.Helper()
	p, err := b.buyWith(m, amount, sv, ids...)
	if err != nil {
		b.t.Fatalf("purchase with coupons: %v", err)
	}
	return p
}

// A coupon applies after the tier discount, is consumed, and points are earned on the
// reduced amount; the same coupon is refused in a second purchase and nothing is posted.
func TestPurchaseWithCoupon(t *testing.T) {
	b := setup(t)
	if _, err := b.svc.AddTier(b.admin, loyalty.Tier{GroupID: b.org.GroupID, Code: "silver", Name: "Silver", Rank: 1,
		Threshold: d("0"), DiscountRate: d("0.9"), PointsMultiplier: d("1")}); err != nil {
		t.Fatal(err)
	}
	m := b.memberWith("500")
	b.bought(m, "1", "0", "0") // reaches silver (threshold 0)
	before := b.balances(m.Card)
	c := b.coupon(m, b.org.MerchantID)
	// 200 − 10% = 180, − 20 coupon = 160: 100 from stored value, 60 cash, 160 points.
	p := b.boughtWith(m, "200", "100", c)
	eq(t, "coupon discount", p.CouponDiscount, "20")
	eq(t, "payable", p.Payable, "160")
	eq(t, "cash", p.Cash, "60")
	eq(t, "earned", p.PointsEarned, "160")
	if len(p.CouponIDs) != 1 || p.CouponIDs[0] != c {
		t.Errorf("coupon ids = %v", p.CouponIDs)
	}
	if s := b.couponStatus(c); s != "used" {
		t.Errorf("coupon status = %s, want used", s)
	}
	after := b.balances(m.Card)
	eq(t, "stored value", after.StoredValue, before.StoredValue.Sub(d("100")).String())
	if n := b.count(`SELECT count(*) FROM coupons WHERE id = $1 AND used_ref = $2`, c, p.ID.String()); n != 1 {
		t.Errorf("coupon not linked to the purchase")
	}

	b.recordsNothing("a refused purchase", func() {
		if _, err := b.buyWith(m, "200", "100", c); !errors.Is(err, coupons.ErrCouponNotUsable) {
			t.Fatalf("used coupon again: err = %v", err)
		}
	})
	eq(t, "stored value after refusal", b.balances(m.Card).StoredValue, after.StoredValue.String())
	b.verify()
}

// Coupon rules (minimum spend, merchant) come from the coupons context; a refused
// purchase changes nothing and leaves the coupon issued.
func TestPurchaseCouponRules(t *testing.T) {
	b := setup(t)
	m := b.memberWith("500")
	c := b.coupon(m, b.org.MerchantID)
	other := b.coupon(m, b.org.OtherMerch)
	b.recordsNothing("refused purchases", func() {
		if _, err := b.buyWith(m, "99.99", "50", c); !errors.Is(err, coupons.ErrMinSpend) {
			t.Errorf("below minimum spend: err = %v", err)
		}
		if _, err := b.buyWith(m, "200", "50", other); !errors.Is(err, coupons.ErrWrongMerchant) {
			t.Errorf("another merchant's coupon: err = %v", err)
		}
	})
	for _, id := range []uuid.UUID{c, other} {
		if s := b.couponStatus(id); s != "issued" {
			t.Errorf("coupon status = %s, want issued", s)
		}
	}
	eq(t, "stored value", b.balances(m.Card).StoredValue, "500")
}

// A full refund restores the coupon; a partial refund keeps it used until the refunds
// add up to the whole purchase.
func TestRefundRestoresCoupon(t *testing.T) {
	b := setup(t)
	m := b.memberWith("500")
	full := b.coupon(m, b.org.MerchantID)
	p := b.boughtWith(m, "120", "100", full)
	eq(t, "payable", p.Payable, "100")
	r := b.refunded(p, "")
	eq(t, "refunded stored value", r.StoredValue, "100")
	if len(r.CouponsRestored) != 1 || r.CouponsRestored[0] != full || b.couponStatus(full) != "issued" {
		t.Errorf("full refund: restored %v, status %s", r.CouponsRestored, b.couponStatus(full))
	}
	// The restored coupon works again.
	p = b.boughtWith(m, "150", "0", full)
	r = b.refunded(p, "30")
	if len(r.CouponsRestored) != 0 || b.couponStatus(full) != "used" {
		t.Errorf("partial refund: restored %v, status %s", r.CouponsRestored, b.couponStatus(full))
	}
	b.refunded(p, "")
	if s := b.couponStatus(full); s != "issued" {
		t.Errorf("after the last refund: status %s, want issued", s)
	}
	b.verify()
}

// A replay with the same key returns the first result and consumes nothing more; the
// same key with other coupons is refused.
func TestPurchaseCouponReplay(t *testing.T) {
	b := setup(t)
	m := b.memberWith("500")
	c := b.coupon(m, b.org.MerchantID)
	in := loyalty.PurchaseInput{MerchantID: b.org.MerchantID, CardNumber: m.Number, Amount: d("200"),
		StoredValue: d("50"), ReceiptNo: "RC1", IdempotencyKey: key(), CouponIDs: []uuid.UUID{c}}
	first, err := b.svc.RecordPurchase(b.staff, in)
	if err != nil {
		t.Fatal(err)
	}
	redeemed := b.count(`SELECT redeemed_count FROM coupon_templates t JOIN coupons c ON c.template_id = t.id WHERE c.id = $1`, c)
	again, err := b.svc.RecordPurchase(b.staff, in)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || again.ID != first.ID || !again.CouponDiscount.Equal(first.CouponDiscount) ||
		!again.Payable.Equal(first.Payable) || len(again.CouponIDs) != 1 || again.CouponIDs[0] != c {
		t.Errorf("replay = %+v, want %+v", again, first)
	}
	if got := b.count(`SELECT redeemed_count FROM coupon_templates t JOIN coupons c ON c.template_id = t.id WHERE c.id = $1`, c); got != redeemed || got != 1 {
		t.Errorf("redeemed count %d → %d on replay", redeemed, got)
	}
	eq(t, "stored value", b.balances(m.Card).StoredValue, "450")
	in.CouponIDs = nil
	if _, err := b.svc.RecordPurchase(b.staff, in); err == nil {
		t.Error("same key without the coupon: want an error")
	}
	b.verify()
}

// Ten purchases racing for one coupon: exactly one gets it.
func TestConcurrentPurchasesOneCoupon(t *testing.T) {
	b := setup(t)
	m := b.memberWith("2000")
	c := b.coupon(m, b.org.MerchantID)
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := b.buyWith(m, "100", "80", c)
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, coupons.ErrCouponNotUsable):
				refused.Add(1)
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 || refused.Load() != 9 {
		t.Errorf("%d succeeded, %d refused; want 1 and 9", ok.Load(), refused.Load())
	}
	if n := b.count(`SELECT count(*) FROM loyalty_purchases`); n != 1 {
		t.Errorf("%d purchases recorded", n)
	}
	eq(t, "stored value", b.balances(m.Card).StoredValue, "1920")
	b.verify()
}

// couponOf creates and activates a template from in (the org's mall, 30 days, stock 10,
// one per member) and claims one for m.
func (b bundle) couponOf(m member, in coupons.TemplateInput) uuid.UUID {
	b.t.Helper()
	ops := staffCtx(auth.RoleMemberOps, auth.LevelMall, b.org.MallID)
	in.MallID, in.ValidDays, in.TotalStock, in.PerMember = b.org.MallID, 30, 10, 1
	tpl, err := b.cps.CreateTemplate(ops, in)
	if err != nil {
		b.t.Fatalf("create template: %v", err)
	}
	if _, err := b.cps.SetStatus(ops, tpl.ID, "active"); err != nil {
		b.t.Fatalf("activate: %v", err)
	}
	c, err := b.cps.Claim(shopperCtx(m.ID), tpl.ID, key())
	if err != nil {
		b.t.Fatalf("claim: %v", err)
	}
	return c.ID
}

// sum is the balance of a ledger account of kind owned by owner (uuid.Nil: the group's).
func (b bundle) sum(kind string, owner uuid.UUID) string {
	b.t.Helper()
	var total string
	if err := b.db.Pool.QueryRow(context.Background(), `SELECT coalesce(sum(e.amount), 0)::text FROM ledger_entries e
		JOIN ledger_accounts a ON a.id = e.account_id WHERE a.kind = $1 AND a.owner_id = $2 AND a.asset = 'cny'`,
		kind, owner).Scan(&total); err != nil {
		b.t.Fatal(err)
	}
	return total
}

// A mall-funded coupon's discount is owed by the mall to the merchant (posted with the
// purchase, reversed by the refund that completes it); a merchant-funded one moves no
// money. Each used coupon records the discount it gave and its funder.
func TestCouponFunding(t *testing.T) {
	b := setup(t)
	m := b.memberWith("500")
	mall := b.couponOf(m, coupons.TemplateInput{Name: "mall 20", Kind: coupons.KindCash, FaceValue: d("20"),
		MinSpend: d("100"), Stacking: "stackable"})
	merchant := b.couponOf(m, coupons.TemplateInput{Name: "merchant 30", Kind: coupons.KindCash, FaceValue: d("30"),
		MinSpend: d("100"), Stacking: "stackable", Funder: coupons.FunderMerchant})
	// 150 − 20 (mall) − 30 (merchant) = 100, all from stored value.
	p := b.boughtWith(m, "150", "100", mall, merchant)
	eq(t, "coupon discount", p.CouponDiscount, "50")
	eq(t, "mall funded", p.MallFunded, "20")
	eq(t, "payable", p.Payable, "100")
	if got := b.sum(ledger.KindMerchant, b.org.MerchantID); got != "120.00" {
		t.Errorf("merchant is owed %s, want 120.00 (100 stored value + 20 mall-funded coupon)", got)
	}
	if got := b.sum(ledger.KindCouponSubsidy, uuid.Nil); got != "-20.00" {
		t.Errorf("coupon subsidy = %s, want -20.00", got)
	}
	for id, want := range map[uuid.UUID]string{mall: "20.00 mall", merchant: "30.00 merchant"} {
		var got string
		if err := b.db.Pool.QueryRow(context.Background(), `SELECT discount::text || ' ' || funder FROM coupons
			WHERE id = $1`, id).Scan(&got); err != nil || got != want {
			t.Errorf("coupon %s: discount and funder %q, want %q (%v)", id, got, want, err)
		}
	}
	// A partial refund keeps the subsidy; the completing one reverses it.
	if r := b.refunded(p, "40"); !r.CouponFunding.IsZero() || b.sum(ledger.KindCouponSubsidy, uuid.Nil) != "-20.00" {
		t.Errorf("partial refund reversed funding %s", r.CouponFunding)
	}
	r := b.refunded(p, "0")
	eq(t, "funding given back", r.CouponFunding, "20")
	if got := b.sum(ledger.KindMerchant, b.org.MerchantID); got != "0.00" {
		t.Errorf("merchant is owed %s after the full refund, want 0.00", got)
	}
	if got := b.sum(ledger.KindCouponSubsidy, uuid.Nil); got != "0.00" {
		t.Errorf("coupon subsidy = %s after the full refund, want 0.00", got)
	}
	if len(r.CouponsRestored) != 2 {
		t.Errorf("restored %v, want both coupons", r.CouponsRestored)
	}
	b.verify()
}

// A purchase paid entirely by coupons (payable 0) can be refunded: nothing is paid
// back, the coupon is restored and the mall's funding reversed, exactly once.
func TestRefundPurchasePaidByCoupons(t *testing.T) {
	b := setup(t)
	m := b.member()
	c := b.couponOf(m, coupons.TemplateInput{Name: "150 off", Kind: coupons.KindCash, FaceValue: d("150"),
		MinSpend: d("50")})
	p := b.boughtWith(m, "120", "0", c)
	eq(t, "payable", p.Payable, "0")
	eq(t, "coupon discount (capped at the amount)", p.CouponDiscount, "120")
	eq(t, "earned", p.PointsEarned, "0")
	if got := b.sum(ledger.KindMerchant, b.org.MerchantID); got != "120.00" {
		t.Errorf("merchant is owed %s, want 120.00", got)
	}
	in := loyalty.RefundInput{MerchantID: b.org.MerchantID, ReceiptNo: p.ReceiptNo, IdempotencyKey: key()}
	r, err := b.svc.RefundPurchase(b.staff, in)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "refund amount", r.Amount, "0")
	eq(t, "funding given back", r.CouponFunding, "120")
	if len(r.CouponsRestored) != 1 || b.couponStatus(c) != "issued" {
		t.Errorf("restored %v, status %s", r.CouponsRestored, b.couponStatus(c))
	}
	if again, err := b.svc.RefundPurchase(b.staff, in); err != nil || again.ID != r.ID {
		t.Errorf("replay: %+v %v", again, err)
	}
	in.IdempotencyKey = key()
	if _, err := b.svc.RefundPurchase(b.staff, in); !errors.Is(err, loyalty.ErrRefundTooLarge) {
		t.Errorf("second refund: err = %v, want ErrRefundTooLarge", err)
	}
	in.Amount = d("1")
	if _, err := b.svc.RefundPurchase(b.staff, in); !errors.Is(err, loyalty.ErrRefundTooLarge) {
		t.Errorf("refund of money never paid: err = %v, want ErrRefundTooLarge", err)
	}
	if got := b.sum(ledger.KindMerchant, b.org.MerchantID); got != "0.00" {
		t.Errorf("merchant is owed %s after the refund, want 0.00", got)
	}
	b.verify()
}

// A coupon that would take nothing off (the others already cover the amount) is refused,
// not spent for nothing.
func TestCouponWithNothingLeftToDiscountIsRefused(t *testing.T) {
	b := setup(t)
	m := b.member()
	in := coupons.TemplateInput{Name: "50 off", Kind: coupons.KindCash, FaceValue: d("50"), MinSpend: d("0"),
		Stacking: "stackable"}
	first, second := b.couponOf(m, in), b.couponOf(m, in)
	if _, err := b.buyWith(m, "50", "0", first, second); !errors.Is(err, coupons.ErrCouponNotUsable) {
		t.Fatalf("two 50 coupons on 50: err = %v, want COUPON_NOT_USABLE", err)
	}
	for _, c := range []uuid.UUID{first, second} {
		if s := b.couponStatus(c); s != "issued" {
			t.Errorf("coupon %s is %s after the refused purchase", c, s)
		}
	}
	if p, err := b.buyWith(m, "50", "0", first); err != nil || !p.Payable.IsZero() {
		t.Errorf("one coupon: %+v, %v", p, err)
	}
}
