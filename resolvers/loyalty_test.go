package resolvers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
)

// newLoyaltyAPI is the schema with a ledgertest organisation, and a staff viewer of
// its first merchant and its mall's service desk.
func newLoyaltyAPI(t testing.TB) (api, ledgertest.Org, func() *auth.Viewer) {
	a := newAPI(t)
	org := ledgertest.NewOrg(t, a.DB)
	staff := func() *auth.Viewer {
		return &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(), Grants: []auth.Grant{
			{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: org.MerchantID},
			{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: org.MallID}}}
	}
	return a, org, staff
}

const recordPurchase = `mutation($in: RecordPurchaseInput!) { recordPurchase(input: $in) {
	purchase { id payable storedValue pointsEarned } userErrors { code field } } }`

func TestLoyaltyGraphQL(t *testing.T) {
	t.Parallel()
	a, org, staff := newLoyaltyAPI(t)
	memberID := org.Member(t, a.DB)
	cardID, number := org.Card(t, a.DB, memberID)
	desk := staff()
	out := a.As(desk, `mutation($in: RechargeCardInput!) { rechargeCard(input: $in) { recharge { balance } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"mallId": relay.ID("Mall", org.MallID), "cardNumber": number,
			"amount": "100", "idempotencyKey": "r1"}})
	if field(out, "data", "rechargeCard", "recharge", "balance") != "100" {
		t.Fatalf("rechargeCard: %v", out)
	}
	in := map[string]any{"merchantId": relay.ID("Merchant", org.MerchantID), "cardNumber": number, "amount": "30",
		"storedValue": "30", "receiptNo": "G1", "idempotencyKey": "p1"}
	out = a.As(desk, recordPurchase, map[string]any{"in": in})
	if field(out, "data", "recordPurchase", "purchase", "pointsEarned") != "30" {
		t.Fatalf("recordPurchase: %v", out)
	}
	in["idempotencyKey"], in["storedValue"], in["receiptNo"], in["amount"] = "p2", "80", "G2", "80"
	out = a.As(desk, recordPurchase, map[string]any{"in": in})
	if ue, _ := field(out, "data", "recordPurchase", "userErrors").([]any); len(ue) != 1 ||
		field(ue[0], "code") != "INSUFFICIENT_BALANCE" {
		t.Fatalf("overdraw: %v", out)
	}
	shopper := &auth.Viewer{Kind: auth.KindShopper, ID: memberID}
	out = a.As(shopper, recordPurchase, map[string]any{"in": in})
	if !strings.Contains(mustJSON(out), "FORBIDDEN") {
		t.Fatalf("a shopper recording a purchase: %v", out)
	}
	out = a.As(shopper, `query($c: ID!, $m: ID!) { myCardValue(cardId: $c) { storedValue points lots { remaining status expiresAt } }
		myRank(mallId: $m) { rank points } leaderboard(mallId: $m) { rank points } }`,
		map[string]any{"c": relay.ID("Card", cardID), "m": relay.ID("Mall", org.MallID)})
	if field(out, "data", "myCardValue", "storedValue") != "70" || field(out, "data", "myCardValue", "points") != "30" ||
		field(out, "data", "myRank", "rank") != float64(1) {
		t.Fatalf("shopper views: %v", out)
	}
	out = a.As(shopper, `query($c: ID!) { myCardHistory(cardId: $c, first: 2) { edges { node { kind storedValue points } }
		pageInfo { hasNextPage } } }`, map[string]any{"c": relay.ID("Card", cardID)})
	if field(out, "data", "myCardHistory", "pageInfo", "hasNextPage") != true ||
		len(field(out, "data", "myCardHistory", "edges").([]any)) != 2 {
		t.Fatalf("myCardHistory: %v", out)
	}
	out = a.As(desk, `mutation { refundPurchase(input: {merchantId: "`+relay.ID("Merchant", org.MerchantID)+
		`", receiptNo: "G1", idempotencyKey: "f1"}) { refund { storedValue pointsClawedBack } userErrors { code } } }`, nil)
	if field(out, "data", "refundPurchase", "refund", "pointsClawedBack") != "30" {
		t.Fatalf("refundPurchase: %v", out)
	}
	if b, _ := a.Ledger.CardBalances(context.Background(), cardID); !b.StoredValue.Equal(b.StoredValue.Round(2)) || b.StoredValue.String() != "100" {
		t.Fatalf("balance after refund: %+v", b)
	}
}

const (
	addCardUses = `mutation($in: CardUsesInput!) { addCardUses(input: $in) { cardId usesLeft userErrors { code field } } }`
	redeemUses  = `mutation($in: RedeemCardUsesInput!) { redeemCardUses(input: $in) { cardId usesLeft userErrors { code field } } }`
)

func TestCountCardsGraphQL(t *testing.T) {
	t.Parallel()
	a, org, staff := newLoyaltyAPI(t)
	countType := service.NewID()
	if _, err := a.DB.Pool.Exec(context.Background(), `INSERT INTO card_types (id, group_id, code, name, kind, service_name)
		VALUES ($1, $2, 'wash', 'Car wash', 'count', 'car wash')`, countType, org.GroupID); err != nil {
		t.Fatal(err)
	}
	memberID := org.Member(t, a.DB)
	cardID, number := org.Card(t, a.DB, memberID)
	if _, err := a.DB.Pool.Exec(context.Background(), `UPDATE cards SET card_type_id = $2 WHERE id = $1`, cardID, countType); err != nil {
		t.Fatal(err)
	}
	desk, mall := staff(), relay.ID("Mall", org.MallID)
	in := func(uses int, key string) map[string]any {
		return map[string]any{"mallId": mall, "cardNumber": number, "uses": uses, "idempotencyKey": key}
	}

	add := in(5, "a1")
	add["price"] = "99.00"
	out := a.As(desk, addCardUses, map[string]any{"in": add})
	if field(out, "data", "addCardUses", "usesLeft") != float64(5) || field(out, "data", "addCardUses", "cardId") != relay.ID("Card", cardID) {
		t.Fatalf("addCardUses: %v", out)
	}
	// The same key again replays the first result and adds nothing.
	out = a.As(desk, addCardUses, map[string]any{"in": add})
	if field(out, "data", "addCardUses", "usesLeft") != float64(5) {
		t.Fatalf("addCardUses replay: %v", out)
	}
	out = a.As(desk, redeemUses, map[string]any{"in": in(3, "r1")})
	if field(out, "data", "redeemCardUses", "usesLeft") != float64(2) {
		t.Fatalf("redeem 3: %v", out)
	}
	out = a.As(desk, redeemUses, map[string]any{"in": in(3, "r1")})
	if field(out, "data", "redeemCardUses", "usesLeft") != float64(2) {
		t.Fatalf("redeem replay: %v", out)
	}
	out = a.As(desk, redeemUses, map[string]any{"in": in(3, "r2")})
	if ue, _ := field(out, "data", "redeemCardUses", "userErrors").([]any); len(ue) != 1 || field(ue[0], "code") != "NO_USES_LEFT" ||
		field(out, "data", "redeemCardUses", "usesLeft") != nil {
		t.Fatalf("redeem 3 of 2: %v", out)
	}
	if b, err := a.Ledger.CardBalances(context.Background(), cardID); err != nil || b.Uses.String() != "2" {
		t.Fatalf("uses left: %+v, %v", b, err)
	}

	// Bad input: a typed userError with its field, nothing written.
	for _, c := range []struct {
		in    map[string]any
		field string
	}{
		{in(0, "b1"), "input.uses"},
		{in(10001, "b2"), "input.uses"},
		{in(1, ""), "input.idempotencyKey"},
		{map[string]any{"mallId": "nope", "cardNumber": number, "uses": 1, "idempotencyKey": "b3"}, "input.mallId"},
	} {
		out = a.As(desk, redeemUses, map[string]any{"in": c.in})
		ue, _ := field(out, "data", "redeemCardUses", "userErrors").([]any)
		if len(ue) != 1 || field(ue[0], "code") != "INVALID_INPUT" || strings.Join(fields(field(ue[0], "field")), ".") != c.field {
			t.Errorf("%v: %v", c.in, out)
		}
	}
	neg := in(1, "b4")
	neg["price"] = "-1"
	out = a.As(desk, addCardUses, map[string]any{"in": neg})
	if ue, _ := field(out, "data", "addCardUses", "userErrors").([]any); len(ue) != 1 || field(ue[0], "code") != "INVALID_INPUT" {
		t.Errorf("negative price: %v", out)
	}
	if b, _ := a.Ledger.CardBalances(context.Background(), cardID); b.Uses.String() != "2" {
		t.Fatalf("uses after bad input: %+v", b)
	}

	// Wrong role, another mall's desk, a shopper: FORBIDDEN.
	for name, v := range map[string]*auth.Viewer{
		"merchant staff":    servicetest.Staff(auth.RoleMerchantStaff, auth.LevelMerchant, org.MerchantID),
		"other mall's desk": servicetest.Staff(auth.RoleServiceDesk, auth.LevelMall, service.NewID()),
		"shopper":           servicetest.Shopper(memberID),
	} {
		out = a.As(v, redeemUses, map[string]any{"in": in(1, "f-"+name)})
		if !strings.Contains(mustJSON(out), "FORBIDDEN") || field(out, "data", "redeemCardUses") != nil {
			t.Errorf("%s: %v", name, out)
		}
	}
	if b, _ := a.Ledger.CardBalances(context.Background(), cardID); b.Uses.String() != "2" {
		t.Fatalf("uses after forbidden calls: %+v", b)
	}
}

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

// A Tier is a Node: members and staff of its group fetch it by global ID; a member or
// staff of another group gets null.
func TestTierIsANode(t *testing.T) {
	t.Parallel()
	a, org, staff := newLoyaltyAPI(t)
	admin := servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, org.GroupID))
	tier, err := a.Loyalty.AddTier(admin, loyalty.Tier{GroupID: org.GroupID, Code: "gold", Name: "Gold", Rank: 1,
		Threshold: decimal.NewFromInt(100), DiscountRate: decimal.NewFromInt(1), PointsMultiplier: decimal.NewFromInt(2)})
	if err != nil {
		t.Fatal(err)
	}
	other := ledgertest.NewOrg(t, a.DB)
	q := `query($id: ID!) { node(id: $id) { id ... on Tier { code name } } }`
	vars := map[string]any{"id": relay.ID("Tier", tier.ID)}
	for name, v := range map[string]*auth.Viewer{
		"member of the group":          {Kind: auth.KindShopper, ID: org.Member(t, a.DB)},
		"staff of a mall of the group": staff(),
	} {
		if out := a.As(v, q, vars); field(out, "data", "node", "code") != "gold" {
			t.Errorf("%s: %v", name, out)
		}
	}
	for name, v := range map[string]*auth.Viewer{
		"member of another group": {Kind: auth.KindShopper, ID: other.Member(t, a.DB)},
		"staff of another group":  servicetest.Staff(auth.RoleAdmin, auth.LevelMall, other.MallID),
	} {
		if out := a.As(v, q, vars); field(out, "data", "node") != nil {
			t.Errorf("%s sees the tier: %v", name, out)
		}
	}
}
