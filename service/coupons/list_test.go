package coupons

import (
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// The coupon centre shows a shopper the active templates of the mall with the stock
// left and their own claims; staff list templates by status, a page at a time.
func TestCouponCentreAndTemplateList(t *testing.T) {
	f := setup(t)
	member := f.world.Member(t, f.db)
	shopper := redemptiontest.Shopper(f.ctx, member)

	scarce := f.cashTemplate(t, func(in *TemplateInput) { in.Name, in.TotalStock = "last one", 1 }) // active
	double := f.cashTemplate(t, func(in *TemplateInput) { in.Name, in.PerMember = "two each", 2 })
	draftIn := f.cashInput()
	draftIn.Name = "draft"
	draft, err := f.svc.CreateTemplate(f.world.MallStaffAs(f.ctx, "member_ops"), draftIn)
	if err != nil {
		t.Fatal(err)
	}

	f.claim(t, scarce, member)
	f.claim(t, double, member)
	offers, err := f.svc.CouponCentre(shopper, f.world.MallID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Offer{}
	for _, o := range offers {
		got[o.Name] = o
	}
	if len(got) != 2 || got["draft"].ID != [16]byte{} {
		t.Fatalf("offers %v: want the two active templates only", got)
	}
	if o := got["last one"]; o.Remaining != 0 || o.MyClaims != 1 || o.CanClaim() {
		t.Errorf("sold out: %+v", o)
	}
	if o := got["two each"]; o.Remaining != 99 || o.MyClaims != 1 || !o.CanClaim() {
		t.Errorf("one of two claimed: remaining %d, mine %d, can %v", o.Remaining, o.MyClaims, o.CanClaim())
	}
	if _, err := f.svc.CouponCentre(f.world.MallStaff(f.ctx), f.world.MallID); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("staff in the shoppers' coupon centre: %v", err)
	}

	ops := f.world.MallStaffAs(f.ctx, "member_ops")
	first, err := f.svc.Templates(ops, f.world.MallID, "", page.Request{First: 2})
	if err != nil || len(first.Items) != 2 || !first.HasNext {
		t.Fatalf("first page: %+v %v", first, err)
	}
	rest, err := f.svc.Templates(ops, f.world.MallID, "", page.Request{First: 2, After: first.Items[1].ID})
	if err != nil || len(rest.Items) < 1 || rest.Items[0].ID == first.Items[1].ID {
		t.Fatalf("second page: %+v %v", rest, err)
	}
	drafts, err := f.svc.Templates(ops, f.world.MallID, "draft", page.Request{First: 10})
	if err != nil || len(drafts.Items) != 1 || drafts.Items[0].ID != draft.ID {
		t.Fatalf("drafts: %+v %v", drafts, err)
	}
	if _, err := f.svc.Templates(ops, f.world.MallID, "lost", page.Request{First: 10}); !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("unknown status: %v", err)
	}
	if _, err := f.svc.Templates(redemptiontest.MerchantStaff(f.ctx, f.world.MerchantA), f.world.MallID, "",
		page.Request{First: 10}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("merchant staff list templates: %v", err)
	}
}
