package resolvers_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// TestCampaignAdminGraphQL: staff create a lottery and a gift, and start a segment issue
// run (queued for the job queue, which does not run here) and read it back; merchant staff are refused.
func TestCampaignAdminGraphQL(t *testing.T) {
	t.Parallel()
	ctx, a := context.Background(), newAPI(t)
	w := redemptiontest.NewWorld(t, a.DB)
	ops := w.MallStaffAs(ctx, auth.RoleMemberOps)
	mall := relay.ID("Mall", w.MallID)

	out := a.Do(ops, `mutation($m: ID!) { createLottery(input: {mallId: $m, name: "Spin", costPoints: 10,
		prizes: [{name: "Big", odds: "0.1", stock: 2, points: 100}, {name: "Small", odds: "0.5", stock: 20, points: 5}]}) {
		lottery { id name costPoints prizes { id name odds stock points } } userErrors { code field } } }`,
		map[string]any{"m": mall})
	l := field(out, "data", "createLottery", "lottery")
	if field(l, "name") != "Spin" || field(l, "prizes", 1, "odds") != "0.5" || field(l, "prizes", 0, "stock") != float64(2) {
		t.Fatalf("createLottery: %v", out)
	}
	out = a.Do(ops, `mutation($m: ID!) { createLottery(input: {mallId: $m, name: "Bad", costPoints: 10,
		prizes: [{name: "A", odds: "0.7", stock: 1}, {name: "B", odds: "0.7", stock: 1}]}) { lottery { id } userErrors { code } } }`,
		map[string]any{"m": mall})
	if field(out, "data", "createLottery", "lottery") != nil || field(out, "data", "createLottery", "userErrors", 0, "code") == nil {
		t.Fatalf("odds over 1 accepted: %v", out)
	}

	gift := `mutation($m: ID!) { createGift(input: {mallId: $m, name: "Mug", pointsCost: 300, stock: 7}) {
		gift { id name pointsCost stock exchanged } userErrors { code } } }`
	out = a.Do(ops, gift, map[string]any{"m": mall})
	if field(out, "data", "createGift", "gift", "pointsCost") != float64(300) || field(out, "data", "createGift", "gift", "stock") != float64(7) {
		t.Fatalf("createGift: %v", out)
	}
	merchant := redemptiontest.MerchantStaff(ctx, w.MerchantA)
	out = a.Do(merchant, gift, map[string]any{"m": mall})
	if field(out, "data", "createGift", "gift") != nil {
		t.Fatalf("merchant staff created a gift: %v", out)
	}

	out = a.Do(ops, `mutation($m: ID!) { createCouponTemplate(input: {mallId: $m, name: "10 off",
		kind: "cash", faceValue: "10", validDays: 7, totalStock: 5}) { template { id } } }`, map[string]any{"m": mall})
	tpl, _ := field(out, "data", "createCouponTemplate", "template", "id").(string)
	issue := `mutation($t: ID!) { issueCouponsToSegment(input: {templateId: $t, tags: ["vip"], minSpend: "100",
		spendWindowDays: 30, lastVisitWithinDays: 90}) { run { id status issued skipped } userErrors { code field } } }`
	out = a.Do(ops, issue, map[string]any{"t": tpl})
	runID, _ := field(out, "data", "issueCouponsToSegment", "run", "id").(string)
	if runID == "" || field(out, "data", "issueCouponsToSegment", "run", "status") != "queued" {
		t.Fatalf("issueCouponsToSegment: %v", out)
	}
	out = a.Do(ops, `query($id: ID!) { segmentRun(id: $id) { id templateId status } }`, map[string]any{"id": runID})
	if field(out, "data", "segmentRun", "templateId") != tpl || field(out, "data", "segmentRun", "status") != "queued" {
		t.Fatalf("segmentRun: %v", out)
	}
	out = a.Do(merchant, issue, map[string]any{"t": tpl})
	if field(out, "data", "issueCouponsToSegment", "run") != nil {
		t.Fatalf("merchant staff started a run: %v", out)
	}
	out = a.Do(ops, `mutation($t: ID!) { issueCouponsToSegment(input: {templateId: $t, minSpend: "100"}) {
		run { id } userErrors { field } } }`, map[string]any{"t": tpl})
	if field(out, "data", "issueCouponsToSegment", "userErrors", 0, "field", 1) != "spendWindowDays" {
		t.Fatalf("spend without a window: %v", out)
	}
}
