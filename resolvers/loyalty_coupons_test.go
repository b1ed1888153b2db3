package resolvers_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// recordPurchase takes Coupon IDs and shows the coupon discount.
func TestRecordPurchaseWithCouponGraphQL(t *testing.T) {
	t.Parallel()
	db, rdb := storetest.DB(t), storetest.Redis(t)
	orgs := org.New(org.Deps{DB: db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)})
	cps := coupons.New(coupons.Deps{DB: db, Redis: rdb, Org: orgs, Codes: redemption.New(redemption.Deps{DB: db, Redis: rdb, Org: orgs, Config: redemption.Config{}, Now: time.Now}), Now: time.Now})
	svc := loyalty.New(loyalty.Deps{DB: db, Ledger: ledger.New(ledger.Deps{DB: db, Now: time.Now}), Redis: rdb, Org: orgs, Coupons: cps,
		Zones: orgs.Zones(), Now: time.Now})
	o := ledgertest.NewOrg(t, db)
	api := loyaltyAPI{t: t, db: db, gql: server.NewGraphQL(resolvers.Config(resolvers.Services{Loyalty: svc}),
		server.GraphQLOptions{Complexity: 1000, Depth: 12, Logger: slog.New(slog.DiscardHandler)})}
	memberID := o.Member(t, db)
	_, number := o.Card(t, db, memberID)

	ctx := context.Background()
	ops := auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleMemberOps, Level: auth.LevelMall, ScopeID: o.MallID}}})
	tpl, err := cps.CreateTemplate(ops, coupons.TemplateInput{MallID: o.MallID, Name: "10 off", Kind: coupons.KindCash,
		FaceValue: decimal.NewFromInt(10), ValidDays: 30, TotalStock: 5, PerMember: 1})
	if err == nil {
		_, err = cps.SetStatus(ops, tpl.ID, "active")
	}
	if err != nil {
		t.Fatal(err)
	}
	c, err := cps.Claim(auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindShopper, ID: memberID}), tpl.ID, "c1")
	if err != nil {
		t.Fatal(err)
	}
	staff := &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: o.MerchantID}}}
	const q = `mutation($in: RecordPurchaseInput!) { recordPurchase(input: $in) {
		purchase { payable couponDiscount mallFundedDiscount cash } userErrors { code field } } }`
	in := map[string]any{"merchantId": relay.ID("Merchant", o.MerchantID), "cardNumber": number, "amount": "30",
		"receiptNo": "C1", "idempotencyKey": "p1", "couponIds": []string{relay.ID("Member", c.ID)}}
	out := api.do(staff, q, map[string]any{"in": in})
	if ue, _ := get(out, "data", "recordPurchase", "userErrors").([]any); len(ue) != 1 || get(ue[0], "code") != "INVALID_INPUT" {
		t.Errorf("a Member ID as a coupon: %v", out)
	}
	in["couponIds"] = []string{relay.ID("Coupon", c.ID)}
	out = api.do(staff, q, map[string]any{"in": in})
	if get(out, "data", "recordPurchase", "purchase", "couponDiscount") != "10" ||
		get(out, "data", "recordPurchase", "purchase", "payable") != "20" {
		t.Fatalf("recordPurchase with a coupon: %v", out)
	}
	if get(out, "data", "recordPurchase", "purchase", "mallFundedDiscount") != "10" {
		t.Errorf("a mall-funded coupon: %v", out)
	}
	in["idempotencyKey"], in["receiptNo"] = "p2", "C2"
	out = api.do(staff, q, map[string]any{"in": in})
	if ue, _ := get(out, "data", "recordPurchase", "userErrors").([]any); len(ue) != 1 || get(ue[0], "code") != "COUPON_NOT_USABLE" {
		t.Errorf("the coupon again: %v", out)
	}

	// The full refund gives the coupon and the mall's funding back.
	out = api.do(staff, `mutation($in: RefundPurchaseInput!) { refundPurchase(input: $in) {
		refund { amount couponsRestored couponFunding } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"merchantId": relay.ID("Merchant", o.MerchantID), "receiptNo": "C1",
			"idempotencyKey": "r1"}})
	restored, _ := get(out, "data", "refundPurchase", "refund", "couponsRestored").([]any)
	if get(out, "data", "refundPurchase", "refund", "couponFunding") != "10" || len(restored) != 1 ||
		restored[0] != relay.ID("Coupon", c.ID) {
		t.Errorf("refundPurchase: %v", out)
	}
}
