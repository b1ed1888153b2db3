package resolvers_test

import (
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
)

// onlyUserError is the code and field of the only userError of payload at path, "" when none.
func onlyUserError(t *testing.T, out map[string]any, path ...any) (string, string) {
	t.Helper()
	ue, _ := field(out, append(append([]any{"data"}, path...), "userErrors")...).([]any)
	if len(ue) == 0 {
		return "", ""
	}
	if len(ue) > 1 {
		t.Fatalf("%v: %d userErrors: %v", path, len(ue), out)
	}
	var f []string
	for _, p := range field(ue[0], "field").([]any) {
		f = append(f, p.(string))
	}
	return field(ue[0], "code").(string), strings.Join(f, ".")
}

// TestStoredValueCardsGraphQL (issue 10, point 15): a member whose default card is the
// points e-card pays stored value through the member code (recordPurchase with memberId
// and storedValue) from their stored-value card; the e-card takes no recharge; a
// ¥1,000,000,000 recharge is refused for the card's cap; card types show their rules and
// only the group's admins and member operations change them.
func TestStoredValueCardsGraphQL(t *testing.T) {
	t.Parallel()
	a, org, staff := newLoyaltyAPI(t)
	admin := servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, org.GroupID)
	desk := staff()
	memberID := org.Member(t, a.DB)
	member := relay.ID("Member", memberID)

	out := a.As(admin, `mutation($g: ID!) { createCardType(input: {groupId: $g, code: "ECARD", name: "e-card", kind: POINTS}) {
		cardType { id holdsStoredValue registered storedValueCap } userErrors { code field } } }`,
		map[string]any{"g": relay.ID("Group", org.GroupID)})
	ecardType := field(out, "data", "createCardType", "cardType")
	if field(ecardType, "holdsStoredValue") != false || field(ecardType, "storedValueCap") != nil || field(ecardType, "registered") != true {
		t.Fatalf("points card type: %v", out)
	}
	issue := func(typeID string) (id, number string) {
		out := a.As(admin, `mutation($m: ID!, $t: ID!) { issueCard(input: {memberId: $m, cardTypeId: $t}) {
			card { id number } userErrors { code } } }`, map[string]any{"m": member, "t": typeID})
		id, _ = field(out, "data", "issueCard", "card", "id").(string)
		number, _ = field(out, "data", "issueCard", "card", "number").(string)
		if id == "" {
			t.Fatalf("issueCard: %v", out)
		}
		return id, number
	}
	_, ecard := issue(field(ecardType, "id").(string)) // the default card: issued first
	svID, sv := issue(relay.ID("CardType", org.CardType))

	const recharge = `mutation($in: RechargeCardInput!) { rechargeCard(input: $in) { recharge { balance }
		userErrors { code field message } } }`
	rechargeIn := func(number, amount string) map[string]any {
		return map[string]any{"in": map[string]any{"mallId": relay.ID("Mall", org.MallID), "cardNumber": number,
			"amount": amount, "idempotencyKey": service.NewID().String()}}
	}
	out = a.As(desk, recharge, rechargeIn(sv, "1000000000"))
	if code, f := onlyUserError(t, out, "rechargeCard"); code != "STORED_VALUE_CAP_EXCEEDED" || f != "input.amount" ||
		!strings.Contains(mustJSON(out), "at most 5000.00 more") {
		t.Fatalf("a ¥1,000,000,000 recharge: %v", out)
	}
	out = a.As(desk, recharge, rechargeIn(ecard, "100"))
	if code, f := onlyUserError(t, out, "rechargeCard"); code != "CARD_HOLDS_NO_STORED_VALUE" || f != "input.cardNumber" {
		t.Fatalf("recharging the points e-card: %v", out)
	}
	out = a.As(desk, recharge, rechargeIn(sv, "200"))
	if field(out, "data", "rechargeCard", "recharge", "balance") != "200" {
		t.Fatalf("recharge: %v", out)
	}

	purchase := func(in map[string]any) map[string]any {
		in["merchantId"], in["receiptNo"], in["idempotencyKey"] = relay.ID("Merchant", org.MerchantID),
			"R"+service.NewID().String()[24:], service.NewID().String()
		return a.As(desk, recordPurchase, map[string]any{"in": in})
	}
	out = purchase(map[string]any{"memberId": member, "amount": "80", "storedValue": "80"})
	if field(out, "data", "recordPurchase", "purchase", "storedValue") != "80" {
		t.Fatalf("recordPurchase{memberId, storedValue}: %v", out)
	}
	out = purchase(map[string]any{"cardNumber": ecard, "amount": "10", "storedValue": "10"})
	if code, f := onlyUserError(t, out, "recordPurchase"); code != "CARD_HOLDS_NO_STORED_VALUE" || f != "input.storedValue" {
		t.Fatalf("stored value from the points e-card: %v", out)
	}
	out = purchase(map[string]any{"memberId": member, "payCardId": svID, "amount": "20", "storedValue": "20"})
	if field(out, "data", "recordPurchase", "purchase", "storedValue") != "20" {
		t.Fatalf("recordPurchase{memberId, payCardId}: %v", out)
	}
	out = a.As(servicetest.Shopper(memberID), `query($c: ID!) { myCardValue(cardId: $c) { storedValue } }`,
		map[string]any{"c": svID})
	if field(out, "data", "myCardValue", "storedValue") != "100" {
		t.Fatalf("stored value left: %v", out)
	}
	// Another member's card is not the member's to pay with.
	otherID, _ := org.Card(t, a.DB, org.Member(t, a.DB))
	out = purchase(map[string]any{"memberId": member, "payCardId": relay.ID("Card", otherID), "amount": "1", "storedValue": "1"})
	if code, f := onlyUserError(t, out, "recordPurchase"); code != "CARD_NOT_FOUND" || f != "input.payCardId" {
		t.Fatalf("another member's card: %v", out)
	}

	// Card type rules: who may read and change them.
	const setRules = `mutation($t: ID!, $cap: Decimal) { setCardTypeStoredValue(input: {cardTypeId: $t, storedValueCap: $cap}) {
		cardType { registered storedValueCap } userErrors { code field } } }`
	svType := relay.ID("CardType", org.CardType)
	otherGroup := service.NewID()
	for _, c := range []struct {
		name string
		v    *auth.Viewer
	}{
		{"another group's admin", servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, otherGroup)},
		{"another group's member operations", servicetest.Staff(auth.RoleMemberOps, auth.LevelGroup, otherGroup)},
		{"the mall's service desk", desk},
		{"merchant staff", servicetest.Staff(auth.RoleMerchantStaff, auth.LevelMerchant, org.MerchantID)},
		{"a shopper", servicetest.Shopper(memberID)},
	} {
		out := a.As(c.v, setRules, map[string]any{"t": svType, "cap": "1"})
		if field(out, "data", "setCardTypeStoredValue", "cardType") != nil || !strings.Contains(mustJSON(out), "FORBIDDEN") {
			t.Errorf("%s changing the cap: %v", c.name, out)
		}
		out = a.As(c.v, `query($g: ID!) { cardTypes(groupId: $g) { storedValueCap } }`, map[string]any{"g": relay.ID("Group", org.GroupID)})
		if c.name != "the mall's service desk" && c.name != "merchant staff" && strings.Contains(mustJSON(out), "5000") {
			t.Errorf("%s reading the group's card types: %v", c.name, out)
		}
	}
	out = a.As(admin, setRules, map[string]any{"t": svType, "cap": "6000"})
	if code, f := onlyUserError(t, out, "setCardTypeStoredValue"); code != "INVALID_INPUT" || f != "input.storedValueCap" {
		t.Fatalf("a ¥6,000 cap: %v", out)
	}
	out = a.As(admin, setRules, map[string]any{"t": svType, "cap": "150"})
	if field(out, "data", "setCardTypeStoredValue", "cardType", "storedValueCap") != "150" {
		t.Fatalf("set the cap: %v", out)
	}
	out = a.As(desk, recharge, rechargeIn(sv, "50.01"))
	if code, _ := onlyUserError(t, out, "rechargeCard"); code != "STORED_VALUE_CAP_EXCEEDED" {
		t.Fatalf("above the lowered cap: %v", out)
	}
	out = a.As(admin, setRules, map[string]any{"t": svType, "cap": nil})
	if field(out, "data", "setCardTypeStoredValue", "cardType", "storedValueCap") != "5000" {
		t.Fatalf("back to the default: %v", out)
	}
}
