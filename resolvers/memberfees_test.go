package resolvers_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/members"
)

// memberFeesFixture is two malls of a group, a priced card product, a card sold with its
// joining fee, a waiver asked for, a card group, and the callers.
type memberFeesFixture struct {
	opsAPI
	cardType  uuid.UUID
	member    uuid.UUID
	sale      memberfees.Sale
	otherSale memberfees.Sale
	waiver    memberfees.Waiver
	cardGroup memberfees.CardGroup
	callers   map[string]context.Context
}

func newMemberFeesFixture(t *testing.T) *memberFeesFixture {
	a := newOpsAPI(t)
	f := &memberFeesFixture{opsAPI: a}
	admin := a.as(auth.RoleAdmin, a.mall)
	ct, err := a.Members.CreateCardType(admin, members.CardTypeInput{GroupID: a.group, Code: "GOLD", Name: "Gold",
		Kind: members.KindStoredValue})
	if err != nil {
		t.Fatal(err)
	}
	f.cardType = ct.ID
	d := decimal.RequireFromString
	price, months := d("200"), 12
	if _, err := a.Members.SetCardProduct(admin, members.CardProductInput{CardTypeID: ct.ID, Price: &price,
		ValidityMonths: &months, Renewable: true, JoiningFee: d("50"), AnnualFee: d("100"), WithdrawalAllowed: true,
		WithdrawalFeeRate: d("0.02")}); err != nil {
		t.Fatal(err)
	}
	reg := func(phone string) uuid.UUID {
		m, err := a.Members.RegisterAtDesk(admin, members.DeskRegistration{MallID: a.mall,
			Profile: members.Profile{Name: "M", Phone: phone}})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	f.member = reg("13800000001")
	if f.sale, err = a.MemberFees.Sell(admin, memberfees.SellInput{MallID: a.mall, MemberID: f.member, CardTypeID: ct.ID,
		IdempotencyKey: "s1"}); err != nil {
		t.Fatal(err)
	}
	if f.otherSale, err = a.MemberFees.Sell(admin, memberfees.SellInput{MallID: a.mall, MemberID: reg("13800000002"),
		CardTypeID: ct.ID, IdempotencyKey: "s2"}); err != nil {
		t.Fatal(err)
	}
	if f.waiver, err = a.MemberFees.RequestWaiver(admin, a.mall, f.sale.JoiningFee.ID, nil, "launch"); err != nil {
		t.Fatal(err)
	}
	if f.cardGroup, err = a.MemberFees.CreateCardGroup(admin, memberfees.CardGroupInput{MallID: a.mall, Name: "ACME",
		PayerCompany: "ACME Ltd"}); err != nil {
		t.Fatal(err)
	}
	groupLevel := func(role auth.Role) context.Context {
		return servicetest.Context(servicetest.Staff(role, auth.LevelGroup, a.group))
	}
	f.callers = map[string]context.Context{
		"admin": a.as(auth.RoleAdmin, a.mall), "ops": a.as(auth.RoleMemberOps, a.mall), "desk": a.as(auth.RoleServiceDesk, a.mall),
		"finance": a.as(auth.RoleFinance, a.mall), "leasing": a.as(auth.RoleLeasing, a.mall),
		"groupAdmin": groupLevel(auth.RoleAdmin), "groupFinance": groupLevel(auth.RoleFinance),
		"otherAdmin": a.as(auth.RoleAdmin, a.other), "otherDesk": a.as(auth.RoleServiceDesk, a.other),
		"otherGroup": servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, uuid.New())),
		"tenant":     servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, uuid.New())),
		"shopper":    servicetest.Context(servicetest.Shopper(uuid.New())),
		"member":     servicetest.Context(servicetest.Shopper(f.member)),
		"anon":       context.Background(),
	}
	return f
}

type memberFeeOp struct {
	name, query string
	vars        func(f *memberFeesFixture) map[string]any
	allowed     []string
	denied      []string // besides everyone's: another group's staff, a tenant, a shopper, nobody
}

var (
	mfDesk       = []string{"admin", "ops", "desk", "finance"}
	mfMallDenied = []string{"otherAdmin", "otherDesk", "leasing", "member"}
	mfVars       = func(f *memberFeesFixture) map[string]any {
		return map[string]any{"m": relay.ID("Mall", f.mall), "c": relay.ID("Card", f.sale.CardID),
			"o": relay.ID("Card", f.otherSale.CardID), "g": relay.ID("Group", f.group),
			"f": relay.ID("MemberFee", f.sale.JoiningFee.ID), "w": relay.ID("MemberFeeWaiver", f.waiver.ID),
			"cg": relay.ID("CardProductGroup", f.cardGroup.ID), "t": relay.ID("CardType", f.cardType),
			"mem": relay.ID("Member", f.member), "k": uuid.NewString()}
	}
)

var memberFeeOps = []memberFeeOp{
	{name: "memberFeePolicy", query: `query($g: ID!) { memberFeePolicy(groupId: $g) { paymentDays } }`,
		allowed: []string{"groupAdmin", "groupFinance"}, denied: []string{"admin", "finance", "desk", "otherAdmin", "member"}},
	{name: "memberFees", query: `query($m: ID!, $c: ID!) { memberFees(mallId: $m, cardId: $c) { id amount } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "myMemberFees", query: `query { myMemberFees { id } }`,
		allowed: []string{"member"}, denied: []string{"admin", "desk"}},
	{name: "setMemberFeePolicy", query: `mutation($g: ID!) { setMemberFeePolicy(input: {groupId: $g, paymentDays: 30, graceDays: 10, penaltyMode: FIXED, penaltyFixed: "5", remindDays: 7}) { policy { paymentDays } userErrors { code } } }`,
		allowed: []string{"groupAdmin", "groupFinance"}, denied: []string{"admin", "finance", "desk", "otherAdmin", "member"}},
	{name: "payMemberFee", query: `mutation($m: ID!, $f: ID!, $k: String!) { payMemberFee(input: {mallId: $m, feeId: $f, method: CASH, amount: "1", idempotencyKey: $k}) { fee { paid } userErrors { code } } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "requestMemberFeeWaiver", query: `mutation($m: ID!, $f: ID!) { requestMemberFeeWaiver(input: {mallId: $m, feeId: $f, amount: "1", reason: "x"}) { waiver { id } userErrors { code } } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "rejectMemberFeeWaiver", query: `mutation($m: ID!, $w: ID!) { rejectMemberFeeWaiver(mallId: $m, id: $w) { waiver { status } userErrors { code } } }`,
		allowed: []string{"finance", "admin"}, denied: append([]string{"desk", "ops"}, mfMallDenied...)},
	{name: "approveMemberFeeWaiver", query: `mutation($m: ID!, $w: ID!) { approveMemberFeeWaiver(mallId: $m, id: $w) { waiver { status } userErrors { code } } }`,
		allowed: []string{"finance", "admin"}, denied: append([]string{"desk", "ops"}, mfMallDenied...)},
	{name: "cardProducts", query: `query($g: ID!) { cardProducts(groupId: $g) { code price } }`,
		vars:    func(f *memberFeesFixture) map[string]any { return map[string]any{"g": relay.ID("Group", f.group)} },
		allowed: []string{"admin", "ops", "desk"}, denied: []string{"leasing", "finance", "member"}},
	{name: "setCardProduct", query: `mutation($t: ID!) { setCardProduct(input: {cardTypeId: $t, price: "300", validityMonths: 12, renewable: true}) { product { price } userErrors { code } } }`,
		allowed: []string{"admin", "ops"}, denied: []string{"desk", "finance", "leasing", "member"}},
	{name: "cardProductGroup", query: `query($m: ID!, $cg: ID!) { cardProductGroup(mallId: $m, id: $cg) { id name } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "cardProductLinkedCards", query: `query($m: ID!, $c: ID!) { cardProductLinkedCards(mallId: $m, headCardId: $c) { totalStoredValue } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "sellCardProduct", query: `mutation($m: ID!, $mem: ID!, $t: ID!, $k: String!) { sellCardProduct(input: {mallId: $m, memberId: $mem, cardTypeId: $t, idempotencyKey: $k}) { cardId joiningFee { amount } userErrors { code } } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "renewCardProduct", query: `mutation($m: ID!, $c: ID!, $k: String!) { renewCardProduct(input: {mallId: $m, cardId: $c, idempotencyKey: $k}) { expiresAt userErrors { code } } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "withdrawCardProductValue", query: `mutation($m: ID!, $c: ID!, $k: String!) { withdrawCardProductValue(input: {mallId: $m, cardId: $c, amount: "10", idempotencyKey: $k}) { net userErrors { code } } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "createCardProductGroup", query: `mutation($m: ID!, $k: String!) { createCardProductGroup(input: {mallId: $m, name: $k, payerCompany: "Co"}) { group { id } userErrors { code } } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "addCardProductGroupHolder", query: `mutation($m: ID!, $cg: ID!, $o: ID!) { addCardProductGroupHolder(mallId: $m, groupId: $cg, cardId: $o) { group { id } userErrors { code } } }`,
		allowed: mfDesk, denied: mfMallDenied},
	{name: "linkCardProductCard", query: `mutation($m: ID!, $c: ID!, $o: ID!) { linkCardProductCard(input: {mallId: $m, headCardId: $c, cardId: $o, relation: "child"}) { view { totalPoints } userErrors { code } } }`,
		allowed: mfDesk, denied: mfMallDenied},
}

// TestMemberFeesAuthorization: every member fee and card product operation gives
// nothing to another group's staff, another mall's staff (for a desk operation at this
// mall), a wrong role, a tenant, a shopper or another member, or nobody, and lets its
// roles through (a business userError is fine: the check passed).
func TestMemberFeesAuthorization(t *testing.T) {
	t.Parallel()
	f := newMemberFeesFixture(t)
	everyone := []string{"otherGroup", "tenant", "shopper", "anon"}
	for _, op := range memberFeeOps {
		t.Run(op.name, func(t *testing.T) {
			vars := mfVars(f)
			if op.vars != nil {
				vars = op.vars(f)
			}
			denied := everyone
			if op.name == "myMemberFees" {
				denied = []string{"otherGroup", "tenant", "anon"}
			}
			for _, who := range append(append([]string{}, denied...), op.denied...) {
				out := f.Do(f.callers[who], op.query, vars)
				if got := outcome(out, op.name); got == "OK" {
					t.Errorf("%s: %s got %v", who, op.name, mustJSON(out))
				}
				if d := field(out, "data", op.name); d != nil {
					if m, ok := d.(map[string]any); !ok || hasData(m) {
						t.Errorf("%s: %s got data %v", who, op.name, mustJSON(out))
					}
				}
			}
			for _, who := range op.allowed {
				vars["k"] = uuid.NewString()
				out := f.Do(f.callers[who], op.query, vars)
				if got := outcome(out, op.name); got == "FORBIDDEN" || got == "NOT_FOUND" || got == "UNAUTHENTICATED" {
					t.Errorf("%s: %s refused: %v", who, op.name, mustJSON(out))
				}
			}
		})
	}
	// another member sees none of this member's fees
	out := f.Do(f.callers["shopper"], `query { myMemberFees { id } }`, nil)
	if fmt.Sprint(field(out, "data", "myMemberFees")) != "[]" {
		t.Fatalf("another member's fees: %s", mustJSON(out))
	}
	out = f.Do(f.callers["member"], `query { myMemberFees { id kind } }`, nil)
	if l, _ := field(out, "data", "myMemberFees").([]any); len(l) == 0 {
		t.Fatalf("the member's own fees: %s", mustJSON(out))
	}
}
