package coupons

import (
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestValidateConsumeRestore(t *testing.T) {
	f := setup(t)
	member := f.world.Member(t, f.db)
	cash := f.claim(t, f.cashTemplate(t, func(in *TemplateInput) { in.Stacking = "stackable" }), member)
	pct := f.claim(t, f.cashTemplate(t, func(in *TemplateInput) {
		in.Kind, in.PercentOff, in.FaceValue, in.MinSpend = KindPercent, dec("10"), dec("30"), decimal.Zero
		in.Stacking, in.Categories = "stackable", []string{"food"}
	}), member)
	exclusive := f.claim(t, f.template(t, f.cashInput()), member)

	validate := func(merchant uuid.UUID, amount string, ids ...uuid.UUID) (d Discount, err error) {
		err = f.db.InTx(f.ctx, func(tx pgx.Tx) error {
			d, err = f.svc.ValidateForPurchaseTx(f.ctx, tx, member, merchant, dec(amount), ids)
			return err
		})
		return d, err
	}
	d, err := validate(f.world.MerchantA, "250", cash.ID, pct.ID)
	if err != nil || !d.Total.Equal(dec("75")) || len(d.Lines) != 2 {
		t.Fatalf("cash 50 + 10%% of 250 capped 30: %+v %v", d, err)
	}
	for _, tc := range []struct {
		name     string
		merchant uuid.UUID
		amount   string
		ids      []uuid.UUID
		want     error
	}{
		{"min spend", f.world.MerchantA, "199.99", []uuid.UUID{cash.ID}, ErrMinSpend},
		{"category", f.world.MerchantB, "250", []uuid.UUID{pct.ID}, ErrWrongMerchant},
		{"other mall", f.world.OtherMerchant, "250", []uuid.UUID{cash.ID}, ErrWrongMerchant},
		{"exclusive stacked", f.world.MerchantA, "250", []uuid.UUID{cash.ID, exclusive.ID}, ErrNotStackable},
		{"someone else's", f.world.MerchantA, "250", []uuid.UUID{uuid.New()}, ErrCouponNotUsable},
	} {
		if _, err := validate(tc.merchant, tc.amount, tc.ids...); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}

	if err := f.db.InTx(f.ctx, func(tx pgx.Tx) error {
		one, err := f.svc.ValidateForPurchaseTx(f.ctx, tx, member, f.world.MerchantA, dec("250"), []uuid.UUID{cash.ID})
		if err != nil {
			return err
		}
		return f.svc.ConsumeTx(f.ctx, tx, member, one, "purchase-1")
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := validate(f.world.MerchantA, "250", cash.ID); !errors.Is(err, ErrCouponNotUsable) {
		t.Fatalf("used coupon validates: %v", err)
	}
	if _, err := f.codes.Redeem(f.world.MallStaff(f.ctx), cash.Numeric, "r"); !errors.Is(err, redemption.ErrCodeUsed) {
		t.Fatalf("consumed coupon's code redeems: %v", err)
	}
	var restored []uuid.UUID
	if err := f.db.InTx(f.ctx, func(tx pgx.Tx) (err error) {
		restored, err = f.svc.RestoreTx(f.ctx, tx, "purchase-1")
		return err
	}); err != nil || len(restored) != 1 {
		t.Fatalf("restore: %v %v", restored, err)
	}
	if _, err := validate(f.world.MerchantA, "250", cash.ID); err != nil {
		t.Fatalf("restored coupon: %v", err)
	}
	f.clock.Add(31 * 24 * 3600e9)
	if _, err := validate(f.world.MerchantA, "250", cash.ID); !errors.Is(err, ErrCouponExpired) {
		t.Fatalf("expired coupon: %v", err)
	}
}

func TestStaffRedeemAndVoidRestoreQuota(t *testing.T) {
	f := setup(t)
	tpl := f.template(t, f.cashInput())
	member := f.world.Member(t, f.db)
	c := f.claim(t, tpl, member)
	staff := redemptiontest.MerchantStaff(f.ctx, f.world.MerchantA)
	r, err := f.codes.Redeem(staff, c.Token, "r1")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Template(f.ctx, tpl.ID)
	mine, _ := f.svc.Coupon(redemptiontest.Shopper(f.ctx, member), c.ID)
	if got.RedeemedCount != 1 || mine.Status != "used" {
		t.Fatalf("after redeem: template redeemed %d, coupon %s", got.RedeemedCount, mine.Status)
	}
	if _, err := f.codes.VoidRedemption(staff, r.ID, "customer changed mind", "v1"); err != nil {
		t.Fatal(err)
	}
	got, _ = f.svc.Template(f.ctx, tpl.ID)
	mine, _ = f.svc.Coupon(redemptiontest.Shopper(f.ctx, member), c.ID)
	if got.RedeemedCount != 0 || mine.Status != "issued" {
		t.Fatalf("after void: template redeemed %d, coupon %s", got.RedeemedCount, mine.Status)
	}
	if _, err := f.svc.Coupon(redemptiontest.MerchantStaff(f.ctx, f.world.OtherMerchant), c.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("other mall's staff sees the coupon: %v", err)
	}
	if _, err := f.svc.Coupon(staff, c.ID); err != nil {
		t.Fatalf("mall's merchant staff reads the coupon: %v", err)
	}
	if _, err := f.codes.Redeem(staff, c.Numeric, "r2"); err != nil {
		t.Fatalf("redeem again: %v", err)
	}
	list, err := f.svc.MyCoupons(redemptiontest.Shopper(f.ctx, member), page.Request{First: 10})
	if err != nil || len(list.Items) != 1 || list.Items[0].Status != "used" {
		t.Fatalf("my coupons: %+v %v", list, err)
	}
}
