package resolvers_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/coupons"
)

// recordPurchase takes Coupon IDs and shows the coupon discount.
func TestRecordPurchaseWithCouponGraphQL(t *testing.T) {
	t.Parallel()
	a, o, _ := newLoyaltyAPI(t)
	memberID := o.Member(t, a.DB)
	_, number := o.Card(t, a.DB, memberID)
	ops := servicetest.Context(servicetest.Staff(auth.RoleMemberOps, auth.LevelMall, o.MallID))
	tpl := a.ActiveTemplate(ops, coupons.TemplateInput{MallID: o.MallID, Name: "10 off", Kind: coupons.KindCash,
		FaceValue: decimal.NewFromInt(10), ValidDays: 30, TotalStock: 5, PerMember: 1})
	c, err := a.Coupons.Claim(servicetest.Context(servicetest.Shopper(memberID)), tpl.ID, "c1")
	if err != nil {
		t.Fatal(err)
	}
	staff := servicetest.Staff(auth.RoleMerchantStaff, auth.LevelMerchant, o.MerchantID)
	const q = `mutation($in: RecordPurchaseInput!) { recordPurchase(input: $in) {
		purchase { payable couponDiscount mallFundedDiscount cash } userErrors { code field } } }`
	in := map[string]any{"merchantId": relay.ID("Merchant", o.MerchantID), "cardNumber": number, "amount": "30",
		"receiptNo": "C1", "idempotencyKey": "p1", "couponIds": []string{relay.ID("Member", c.ID)}}
	out := a.As(staff, q, map[string]any{"in": in})
	if ue, _ := field(out, "data", "recordPurchase", "userErrors").([]any); len(ue) != 1 || field(ue[0], "code") != "INVALID_INPUT" {
		t.Errorf("a Member ID as a coupon: %v", out)
	}
	in["couponIds"] = []string{relay.ID("Coupon", c.ID)}
	out = a.As(staff, q, map[string]any{"in": in})
	if field(out, "data", "recordPurchase", "purchase", "couponDiscount") != "10" ||
		field(out, "data", "recordPurchase", "purchase", "payable") != "20" {
		t.Fatalf("recordPurchase with a coupon: %v", out)
	}
	if field(out, "data", "recordPurchase", "purchase", "mallFundedDiscount") != "10" {
		t.Errorf("a mall-funded coupon: %v", out)
	}
	in["idempotencyKey"], in["receiptNo"] = "p2", "C2"
	out = a.As(staff, q, map[string]any{"in": in})
	if ue, _ := field(out, "data", "recordPurchase", "userErrors").([]any); len(ue) != 1 || field(ue[0], "code") != "COUPON_NOT_USABLE" {
		t.Errorf("the coupon again: %v", out)
	}

	// The full refund gives the coupon and the mall's funding back.
	out = a.As(staff, `mutation($in: RefundPurchaseInput!) { refundPurchase(input: $in) {
		refund { amount couponsRestored couponFunding } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"merchantId": relay.ID("Merchant", o.MerchantID), "receiptNo": "C1",
			"idempotencyKey": "r1"}})
	restored, _ := field(out, "data", "refundPurchase", "refund", "couponsRestored").([]any)
	if field(out, "data", "refundPurchase", "refund", "couponFunding") != "10" || len(restored) != 1 ||
		restored[0] != relay.ID("Coupon", c.ID) {
		t.Errorf("refundPurchase: %v", out)
	}
}
