package resolvers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
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
