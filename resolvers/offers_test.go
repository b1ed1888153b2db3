package resolvers_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// TestOffersGraphQL: staff set up a sign-in campaign and coupon templates and list them;
// a shopper sees the coupon centre (with their own claims), the sign-ins, lotteries and
// gifts of the mall.
func TestOffersGraphQL(t *testing.T) {
	t.Parallel()
	ctx, a := context.Background(), newAPI(t)
	w := redemptiontest.NewWorld(t, a.DB)
	ops := w.MallStaffAs(ctx, auth.RoleMemberOps)
	mall := relay.ID("Mall", w.MallID)
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
	a.Do(ops, `mutation($m: ID!) { createGift(input: {mallId: $m, name: "Mug", pointsCost: 300, stock: 7}) { gift { id } } }`,
		map[string]any{"m": mall})
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
