package resolvers_test

import (
	"testing"

	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// createGift creates the gift "Mug" (300 points, 7 in stock) in the mall $m.
const createGift = `mutation($m: ID!) { createGift(input: {mallId: $m, name: "Mug", pointsCost: 300, stock: 7}) {
	gift { id name pointsCost stock exchanged } userErrors { code } } }`

// TestOffersGraphQL: staff set up a sign-in campaign and coupon templates and list them;
// a shopper sees the coupon centre (with their own claims), the sign-ins, lotteries and
// gifts of the mall.
func TestOffersGraphQL(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	ctx, w, ops, mall := a.ctx, a.world, a.ops, relay.ID("Mall", a.world.MallID)
	shopper := redemptiontest.Shopper(ctx, w.Member(t, a.DB))

	var tpls []string
	for _, name := range []string{"A", "B", "C"} {
		out := a.Do(ops, `mutation($m: ID!, $n: String!) { createCouponTemplate(input: {mallId: $m, name: $n,
			kind: "cash", faceValue: "10", validDays: 7, totalStock: 5, perMember: 2}) { template { id } } }`,
			map[string]any{"m": mall, "n": name})
		id, _ := field(out, "data", "createCouponTemplate", "template", "id").(string)
		tpls = append(tpls, id)
	}
	for _, id := range tpls[:2] { // C stays a draft
		a.Do(ops, `mutation($t: ID!) { setCouponTemplateStatus(id: $t, status: "active") { template { id } } }`,
			map[string]any{"t": id})
	}
	a.Do(shopper, `mutation($t: ID!) { claimCoupon(input: {templateId: $t, idempotencyKey: "k1"}) { coupon { id } } }`,
		map[string]any{"t": tpls[0]})

	out := a.Do(shopper, `query($m: ID!) { couponCentre(mallId: $m) { template { id name } remaining myClaims canClaim } }`,
		map[string]any{"m": mall})
	offers, _ := field(out, "data", "couponCentre").([]any)
	if len(offers) != 2 {
		t.Fatalf("couponCentre: %v", out)
	}
	for _, o := range offers {
		want := 0.0
		if field(o, "template", "id") == tpls[0] {
			want = 1
		}
		if field(o, "myClaims") != want || field(o, "canClaim") != true {
			t.Errorf("offer %v: want myClaims %v", o, want)
		}
	}
	if out := a.Do(ops, `query($m: ID!) { couponCentre(mallId: $m) { remaining } }`,
		map[string]any{"m": mall}); field(out, "errors", 0, "extensions", "code") != "FORBIDDEN" {
		t.Errorf("staff in the coupon centre: %v", out)
	}

	out = a.Do(ops, `query($m: ID!) { couponTemplates(mallId: $m, status: "draft") { edges { node { id status } } pageInfo { hasNextPage } } }`,
		map[string]any{"m": mall})
	if edges, _ := field(out, "data", "couponTemplates", "edges").([]any); len(edges) != 1 || field(edges[0], "node", "id") != tpls[2] {
		t.Errorf("draft templates: %v", out)
	}
	out = a.Do(ops, `query($m: ID!) { couponTemplates(mallId: $m, first: 2) { edges { cursor } pageInfo { hasNextPage } } }`,
		map[string]any{"m": mall})
	if field(out, "data", "couponTemplates", "pageInfo", "hasNextPage") != true {
		t.Errorf("paged templates: %v", out)
	}

	out = a.Do(ops, `mutation($m: ID!, $t: ID!) { createSignInCampaign(input: {mallId: $m, name: "Daily",
		dailyPoints: 5, rewards: [{day: 3, points: 20}, {day: 7, templateId: $t}]}) {
		campaign { id name dailyPoints rewards { day points templateId } } userErrors { code field } } }`,
		map[string]any{"m": mall, "t": tpls[1]})
	if field(out, "data", "createSignInCampaign", "campaign", "rewards", 1, "templateId") != tpls[1] {
		t.Fatalf("createSignInCampaign: %v", out)
	}
	out = a.Do(ops, `mutation($m: ID!) { createSignInCampaign(input: {mallId: $m, name: "Bad",
		dailyPoints: 5, rewards: [{day: 3, templateId: "nope"}]}) { campaign { id } userErrors { code } } }`,
		map[string]any{"m": mall})
	if field(out, "data", "createSignInCampaign", "campaign") != nil || field(out, "data", "createSignInCampaign", "userErrors", 0, "code") == nil {
		t.Errorf("a bad template id: %v", out)
	}
	a.Do(ops, createGift, map[string]any{"m": mall})
	a.Do(ops, `mutation($m: ID!) { createLottery(input: {mallId: $m, name: "Spin", costPoints: 10,
		prizes: [{name: "Big", odds: "0.1", stock: 2, points: 100}]}) { lottery { id } } }`, map[string]any{"m": mall})

	out = a.Do(shopper, `query($m: ID!) { signInCampaigns(mallId: $m) { name rewards { day } }
		lotteries(mallId: $m) { name prizes { name stock won } } gifts(mallId: $m) { name stock exchanged } }`,
		map[string]any{"m": mall})
	if field(out, "data", "signInCampaigns", 0, "name") != "Daily" || field(out, "data", "lotteries", 0, "prizes", 0, "stock") != float64(2) ||
		field(out, "data", "gifts", 0, "stock") != float64(7) {
		t.Errorf("shopper lists: %v", out)
	}
}

// TestCampaignAdminGraphQL: staff create a lottery and a gift, and start a segment issue
// run (queued for the job queue, which does not run here) and read it back; merchant staff are refused.
func TestCampaignAdminGraphQL(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	ctx, w, ops, mall := a.ctx, a.world, a.ops, relay.ID("Mall", a.world.MallID)

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

	out = a.Do(ops, createGift, map[string]any{"m": mall})
	if field(out, "data", "createGift", "gift", "pointsCost") != float64(300) || field(out, "data", "createGift", "gift", "stock") != float64(7) {
		t.Fatalf("createGift: %v", out)
	}
	merchant := redemptiontest.MerchantStaff(ctx, w.MerchantA)
	out = a.Do(merchant, createGift, map[string]any{"m": mall})
	if field(out, "data", "createGift", "gift") != nil {
		t.Fatalf("merchant staff created a gift: %v", out)
	}

	out = a.Do(ops, createTemplate, map[string]any{"m": mall})
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
