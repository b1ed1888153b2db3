package resolvers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// createTemplate creates a draft cash coupon template "10 off" in the mall $m.
const createTemplate = `mutation($m: ID!) { createCouponTemplate(input: {mallId: $m, name: "10 off",
	kind: "cash", faceValue: "10", validDays: 7, totalStock: 5}) { template { id status } userErrors { code field } } }`

func TestCouponsGraphQL(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	ctx, w, ops := a.ctx, a.world, a.ops
	out := a.Do(ops, createTemplate, map[string]any{"m": relay.ID("Mall", w.MallID)})
	tplGID, _ := field(out, "data", "createCouponTemplate", "template", "id").(string)
	out = a.Do(ops, `mutation($id: ID!) { setCouponTemplateStatus(id: $id, status: "active") {
		template { status faceValue } userErrors { code } } }`, map[string]any{"id": tplGID})
	if field(out, "data", "setCouponTemplateStatus", "template", "status") != "active" ||
		field(out, "data", "setCouponTemplateStatus", "template", "faceValue") != "10" {
		t.Fatalf("template: %v", out)
	}
	shopper := redemptiontest.Shopper(ctx, w.Member(t, a.DB))

	out = a.Do(shopper, `mutation($t: ID!) { claimCoupon(input: {templateId: $t, idempotencyKey: "k1"}) {
		coupon { id status numericCode qrToken qrPng } userErrors { code } } }`,
		map[string]any{"t": tplGID})
	c := field(out, "data", "claimCoupon", "coupon")
	token, _ := field(c, "qrToken").(string)
	png, _ := field(c, "qrPng").(string)
	if field(c, "status") != "issued" || token == "" || !strings.HasPrefix(png, "data:image/png;base64,") {
		t.Fatalf("claimCoupon: %v", out)
	}
	out = a.Do(shopper, `{ myCoupons { edges { node { id numericCode qrToken } } } }`, nil)
	if field(out, "data", "myCoupons", "edges", 0, "node", "id") != field(c, "id") ||
		field(out, "data", "myCoupons", "edges", 0, "node", "qrToken") != token {
		t.Fatalf("myCoupons: %v", out)
	}

	staff := redemptiontest.MerchantStaff(ctx, w.MerchantA)
	redeem := `mutation($c: String!, $k: String!) { redeemCode(input: {code: $c, idempotencyKey: $k}) {
		redemption { id kind subjectId merchantId } userErrors { code } } }`
	out = a.Do(staff, redeem, map[string]any{"c": token, "k": "r1"})
	red := field(out, "data", "redeemCode", "redemption")
	if field(red, "subjectId") != field(c, "id") || field(red, "merchantId") != relay.ID("Merchant", w.MerchantA) {
		t.Fatalf("redeemCode: %v", out)
	}
	out = a.Do(staff, redeem, map[string]any{"c": field(c, "numericCode"), "k": "r2"})
	if field(out, "data", "redeemCode", "userErrors", 0, "code") != "CODE_ALREADY_USED" {
		t.Fatalf("second redeemCode: %v", out)
	}
	out = a.Do(staff, `mutation($r: ID!) { voidRedemption(input: {redemptionId: $r, reason: "wrong", idempotencyKey: "v"}) {
		redemption { voidedAt voidReason } userErrors { code } } }`, map[string]any{"r": field(red, "id")})
	if field(out, "data", "voidRedemption", "redemption", "voidReason") != "wrong" {
		t.Fatalf("voidRedemption: %v", out)
	}
	out = a.Do(staff, `query($m: ID!) { redemptionKeys { keyId publicKey active }
		redemptionChanges(mallId: $m, since: 0) { codeId status seq } }`, map[string]any{"m": relay.ID("Mall", w.MallID)})
	if field(out, "data", "redemptionKeys", 0, "active") != true || field(out, "data", "redemptionChanges", 0, "status") != "issued" {
		t.Fatalf("offline queries: %v", out)
	}
	out = a.Do(shopper, `{ redemptionKeys { keyId } }`, nil)
	if field(out, "errors", 0, "extensions", "code") == nil {
		t.Fatalf("shopper reads keys: %v", out)
	}
}

// TestCodeEventsSubscription: over the GraphQL websocket, each member's subscription
// gets the events of their own codes only.
func TestCodeEventsSubscription(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	ctx, db, rdb, cp, w, ops := a.ctx, a.DB, a.Redis, a.Coupons, a.world, a.ops
	c := client.New(a.GraphQL(func(ctx context.Context, p transport.InitPayload) (context.Context, error) {
		id, err := uuid.Parse(p.GetString("member"))
		return auth.WithViewer(ctx, servicetest.Shopper(id)), err
	}))
	tpl := a.ActiveTemplate(ops, coupons.TemplateInput{MallID: w.MallID, Name: "5 off", Kind: coupons.KindCash,
		FaceValue: decimal.NewFromInt(5), ValidDays: 1, TotalStock: 10})
	alice, bob := w.Member(t, db), w.Member(t, db)
	subscribe := func(member uuid.UUID) *client.Subscription {
		sub := c.WebsocketWithPayload(`subscription { myCodeEvents { type kind subjectId } }`,
			map[string]any{"member": member.String()})
		ch := rdb.Key("redemption", "events", member.String())
		if !servicetest.WaitFor(5*time.Second, 5*time.Millisecond, func() bool { // until the server has subscribed
			n, _ := rdb.PubSubNumSub(ctx, ch).Result()
			return n[ch] > 0
		}) {
			t.Fatal("the subscription did not reach Redis")
		}
		return sub
	}
	aliceSub, bobSub := subscribe(alice), subscribe(bob)
	defer aliceSub.Close()
	defer bobSub.Close()
	ca, err := cp.Claim(redemptiontest.Shopper(ctx, alice), tpl.ID, "a")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := cp.Claim(redemptiontest.Shopper(ctx, bob), tpl.ID, "b")
	if err != nil {
		t.Fatal(err)
	}
	staff := w.MallStaff(ctx)
	for _, code := range []string{ca.Token, cb.Token} { // alice's event is published first
		if _, err := a.Redemption.Redeem(staff, code, uuid.NewString()); err != nil {
			t.Fatal(err)
		}
	}
	var resp struct {
		MyCodeEvents struct{ Type, Kind, SubjectID string }
	}
	for _, tc := range []struct {
		sub  *client.Subscription
		want uuid.UUID
	}{{aliceSub, ca.ID}, {bobSub, cb.ID}} {
		if err := tc.sub.Next(&resp); err != nil {
			t.Fatal(err)
		}
		if resp.MyCodeEvents.Type != "redeemed" || resp.MyCodeEvents.SubjectID != relay.ID("Coupon", tc.want) {
			t.Fatalf("event %+v, want the redemption of %s", resp.MyCodeEvents, tc.want)
		}
	}
}

func TestCampaignsGraphQL(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t, servicetest.Random(func() float64 { return 0 }))
	ctx, camp, w, ops := a.ctx, a.Campaigns, a.world, a.ops
	tpl := a.ActiveTemplate(ops, coupons.TemplateInput{MallID: w.MallID, Name: "gift", Kind: coupons.KindGift,
		FaceValue: decimal.NewFromInt(8), ValidDays: 1, TotalStock: 10, PerMember: 5})
	c, err := camp.CreateSignInCampaign(ops, campaigns.SignInCampaign{MallID: w.MallID, Name: "daily",
		Rewards: []campaigns.StreakReward{{Day: 1, TemplateID: &tpl.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := camp.CreateLottery(ops, campaigns.Lottery{MallID: w.MallID, Name: "draw",
		Prizes: []campaigns.Prize{{Name: "gift", Odds: decimal.RequireFromString("0.5"), Stock: 1, TemplateID: &tpl.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	shopper := redemptiontest.Shopper(ctx, w.Member(t, a.DB))
	out := a.Do(shopper, `mutation($c: ID!) { signIn(campaignId: $c) { signIn { streak couponId } userErrors { code } } }`,
		map[string]any{"c": relay.ID("SignInCampaign", c.ID)})
	if field(out, "data", "signIn", "signIn", "streak") != float64(1) || field(out, "data", "signIn", "signIn", "couponId") == nil {
		t.Fatalf("signIn: %v", out)
	}
	out = a.Do(shopper, `mutation($c: ID!) { signIn(campaignId: $c) { userErrors { code } } }`,
		map[string]any{"c": relay.ID("SignInCampaign", c.ID)})
	if field(out, "data", "signIn", "userErrors", 0, "code") != "ALREADY_SIGNED_IN" {
		t.Fatalf("second signIn: %v", out)
	}
	draw := `mutation($l: ID!, $k: String!) { drawLottery(input: {lotteryId: $l, idempotencyKey: $k}) { draw { prizeName } } }`
	out = a.Do(shopper, draw, map[string]any{"l": relay.ID("Lottery", l.ID), "k": "d1"})
	if field(out, "data", "drawLottery", "draw", "prizeName") != "gift" {
		t.Fatalf("drawLottery: %v", out)
	}
	out = a.Do(shopper, draw, map[string]any{"l": relay.ID("Lottery", l.ID), "k": "d2"})
	if field(out, "data", "drawLottery", "draw", "prizeName") != nil {
		t.Fatalf("prize beyond its stock: %v", out)
	}
	out = a.Do(ops, `query($t: ID!) { couponTemplateReport(id: $t) { issued claimed } }`,
		map[string]any{"t": relay.ID("CouponTemplate", tpl.ID)})
	if field(out, "data", "couponTemplateReport", "issued") != float64(2) || field(out, "data", "couponTemplateReport", "claimed") != float64(0) {
		t.Fatalf("report: %v", out)
	}
}
