package coupons

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

func TestReports(t *testing.T) {
	f := setup(t)
	tpl := f.cashTemplate(t, func(in *TemplateInput) { in.TotalStock, in.PerMember, in.ValidDays = 10, 5, 1 })
	member := f.world.Member(t, f.db)
	cs := []Coupon{f.claim(t, tpl, member), f.claim(t, tpl, member), f.claim(t, tpl, member)}
	staffA := redemptiontest.MerchantStaff(f.ctx, f.world.MerchantA)
	r0, err := f.codes.Redeem(staffA, cs[0].Token, "a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.codes.VoidRedemption(staffA, r0.ID, "oops", "v"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.codes.Redeem(staffA, cs[0].Token, "b"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.codes.Redeem(redemptiontest.MerchantStaff(f.ctx, f.world.MerchantB), cs[1].Numeric, "c"); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(48 * time.Hour)
	rep, err := f.svc.Report(f.world.MallStaffAs(f.ctx, "member_ops"), tpl.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := TemplateReport{TemplateID: tpl.ID, Issued: 3, Claimed: 3, Redeemed: 2, Voided: 1, Expired: 1,
		Cost: decimal.NewFromInt(100)}
	if rep.Issued != want.Issued || rep.Claimed != want.Claimed || rep.Redeemed != want.Redeemed ||
		rep.Voided != want.Voided || rep.Expired != want.Expired || !rep.Cost.Equal(want.Cost) {
		t.Fatalf("report %+v, want %+v", rep, want)
	}
	days, err := f.codes.RedemptionsPerMerchantDay(f.world.MallStaffAs(f.ctx, "finance"), f.world.MallID,
		f.clock.Now().Add(-72*time.Hour), f.clock.Now())
	if err != nil || len(days) != 2 || days[0].Count != 1 || days[1].Count != 1 ||
		days[0].Day.Format("2006-01-02") != "2026-05-06" {
		t.Fatalf("per merchant day: %+v %v", days, err)
	}
}
