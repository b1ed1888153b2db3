package resolvers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
)

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
