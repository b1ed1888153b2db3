package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/atrium-mall/atrium/app"
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// walkthroughPath is the newcomer's walk through the demo mall; TestWalkthrough runs it.
const walkthroughPath = "../docs/walkthrough.md"

// notRun are the walkthrough's operations the test validates against the schema but
// does not send over HTTP, with the test that runs them.
var notRun = map[string]string{
	"MyCodeEvents": "a websocket subscription: resolvers TestCodeEventsSubscription",
}

// docOps reads the walkthrough's ```graphql blocks: each named operation with the text
// of the block it is in (sent whole, with its operation name), in order.
func docOps(t *testing.T) (map[string]string, []string) {
	t.Helper()
	raw, err := os.ReadFile(walkthroughPath)
	if err != nil {
		t.Fatal(err)
	}
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(raw), -1)
	if len(blocks) == 0 {
		t.Fatal("no graphql blocks in the walkthrough")
	}
	ops, order := map[string]string{}, []string(nil)
	for _, b := range blocks {
		doc, errs := gqlparser.LoadQuery(schema, b[1])
		if errs != nil {
			t.Fatalf("walkthrough block does not validate against the schema: %v\n%s", errs, b[1])
		}
		for _, op := range doc.Operations {
			if op.Name == "" {
				t.Fatalf("walkthrough operations must be named (the test runs them by name):\n%s", b[1])
			}
			if _, dup := ops[op.Name]; dup {
				t.Fatalf("operation %s twice in the walkthrough", op.Name)
			}
			if op.Operation == ast.Subscription && notRun[op.Name] == "" {
				t.Fatalf("subscription %s: add it to notRun with the test that runs it", op.Name)
			}
			ops[op.Name] = b[1]
			order = append(order, op.Name)
		}
	}
	return ops, order
}

// walker sends the walkthrough's operations to a served Atrium with the demo seed.
type walker struct {
	t   *testing.T
	url string
	ops map[string]string
	ran map[string]bool
}

type gqlAnswer struct {
	Data   map[string]any `json:"data"`
	Errors []any          `json:"errors"`
}

// send runs the walkthrough's operation name with vars, as the login token.
func (w *walker) send(token, name string, vars map[string]any) map[string]any {
	w.t.Helper()
	text, ok := w.ops[name]
	if !ok {
		w.t.Fatalf("the walkthrough has no operation %s", name)
	}
	w.ran[name] = true
	return w.post(token, text, name, vars)
}

func (w *walker) post(token, text, name string, vars map[string]any) map[string]any {
	w.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": text, "operationName": name, "variables": vars})
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, w.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	var out gqlAnswer
	servicetest.Decode(w.t, res.StatusCode, res.Body, &out)
	if len(out.Errors) > 0 || out.Data == nil {
		w.t.Fatalf("%s: errors %v (vars %v)", name, out.Errors, vars)
	}
	return out.Data
}

// must runs name and fails on any userError in its payload.
func (w *walker) must(token, name string, vars map[string]any) map[string]any {
	w.t.Helper()
	data := w.send(token, name, vars)
	for field, payload := range data {
		if ue := path(payload, "userErrors"); ue != nil && len(ue.([]any)) > 0 {
			w.t.Fatalf("%s: %s answered userErrors %v (vars %v)", name, field, ue, vars)
		}
	}
	return data
}

func str(v any, p ...any) string {
	s, _ := path(v, p...).(string)
	return s
}

func userErrorCode(v any, p ...any) string {
	return str(v, append(p, "userErrors", 0, "code")...)
}

func (w *walker) login(username string) string {
	w.t.Helper()
	d := w.must("", "LoginStaff", map[string]any{"username": username, "password": demoPassword})
	return str(d, "loginStaff", "accessToken")
}

// named finds the element of list (under p in v) whose key field is want.
func named(t *testing.T, v any, key, want string, p ...any) map[string]any {
	t.Helper()
	list, _ := path(v, p...).([]any)
	for _, it := range list {
		m, _ := it.(map[string]any)
		if str(m, key) == want || str(m, "node", key) == want || str(m, "template", key) == want {
			return m
		}
	}
	t.Fatalf("no %s %q in %v", key, want, list)
	return nil
}

// TestWalkthrough runs every operation of docs/walkthrough.md, in the walk's order,
// against a served Atrium with the demo seed (app.SeedDemo and SeedDemoContent, as
// `make run`), twice over as the walkthrough tells a newcomer to: a new shopper code
// and fresh idempotency keys and receipt numbers each walk. It also shows what the
// walkthrough says of keys (a repeat replays; another request under a used key is
// IDEMPOTENCY_KEY_REUSED), of issueCard without a card type, and of pending points.
func TestWalkthrough(t *testing.T) {
	ops, order := docOps(t)
	_, wechat := servicetest.FakeWeChat(t)
	a := servicetest.New(t, storetest.DB(t), wechat).App
	ctx := context.Background()
	if _, err := app.SeedDemo(ctx, a.Services.Org, demoPassword); err != nil {
		t.Fatal(err)
	}
	if err := a.SeedDemoContent(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	w := &walker{t: t, url: srv.URL, ops: ops, ran: map[string]bool{}}
	for walk := range 2 {
		t.Run("walk", func(t *testing.T) {
			w.t = t
			w.walk(walk)
		})
		if t.Failed() {
			return
		}
	}
	w.t = t
	var missed []string
	for _, name := range order {
		if !w.ran[name] && notRun[name] == "" {
			missed = append(missed, name)
		}
	}
	if len(missed) > 0 {
		t.Fatalf("walkthrough operations the test does not run: %v (run them in walk, or list them in notRun)", missed)
	}
}

// walk is one newcomer's walk: step numbers are the walkthrough's sections.
func (w *walker) walk(n int) {
	t := w.t
	fresh := func() string { return uuid.NewString() }
	// 1. Log in.
	desk, cashier := w.login("desk"), w.login("coffee.cashier")
	code := "walk-" + fresh()
	shopper := str(w.must("", "LoginShopper", map[string]any{"code": code}), "loginWeChat", "accessToken")

	// 2. Where the ids come from: any login finds the mall, the group and the merchants.
	mall := w.must(shopper, "DemoMall", nil)
	if staff := w.must(desk, "DemoMall", nil); str(staff, "mall", "id") != str(mall, "mall", "id") {
		t.Fatalf("DemoMall differs between logins: %v vs %v", staff, mall)
	}
	mallID, groupID := str(mall, "mall", "id"), str(mall, "mall", "group", "id")
	coffeeID := str(named(t, mall, "code", "COFFEE", "mall", "merchants", "edges"), "node", "id")
	types := w.must(desk, "CardTypes", map[string]any{"groupId": groupID})
	goldType := str(named(t, types, "code", "GOLD", "cardTypes"), "id")
	if mallID == "" || groupID == "" || coffeeID == "" || goldType == "" {
		t.Fatalf("ids: mall %q group %q coffee %q gold %q", mallID, groupID, coffeeID, goldType)
	}

	// 3. Register: the e-card comes with it; sign in.
	reg := w.must(shopper, "Register", map[string]any{"mallId": mallID, "phoneCode": code})
	memberID := str(reg, "registerMember", "member", "id")
	if c := str(reg, "registerMember", "member", "cards", 0, "cardType", "code"); c != "ECARD" {
		t.Fatalf("registered without the e-card: %v", reg)
	}
	cards := w.must(shopper, "MyCards", nil)
	ecard := named(t, cards, "number", str(reg, "registerMember", "member", "cards", 0, "number"), "myCards")
	if again := w.send(shopper, "Register", map[string]any{"mallId": mallID, "phoneCode": code}); userErrorCode(again, "registerMember") != "ALREADY_REGISTERED" {
		t.Fatalf("registering again (an old code): %v, want ALREADY_REGISTERED", again)
	}
	camps := w.must(shopper, "SignInCampaigns", map[string]any{"mallId": mallID})
	signIn := w.must(shopper, "SignIn", map[string]any{"campaignId": str(camps, "signInCampaigns", 0, "id")})
	signInPoints := path(signIn, "signIn", "signIn", "points").(float64)

	// 4. Coupons: claim the free coffee, the desk redeems it and voids the redemption.
	centre := w.must(shopper, "CouponCentre", map[string]any{"mallId": mallID})
	coffeeTpl := str(named(t, centre, "name", "Free coffee", "couponCentre"), "template", "id")
	cashTpl := str(named(t, centre, "name", "¥20 off ¥100", "couponCentre"), "template", "id")
	claimKey := fresh()
	claim := w.must(shopper, "ClaimCoupon", map[string]any{"templateId": coffeeTpl, "key": claimKey})
	couponID := str(claim, "claimCoupon", "coupon", "id")
	// The same key and arguments: the first answer again, nothing claimed twice.
	if replay := w.must(shopper, "ClaimCoupon", map[string]any{"templateId": coffeeTpl, "key": claimKey}); str(replay, "claimCoupon", "coupon", "id") != couponID {
		t.Fatalf("a repeat with the same key claimed again: %v vs %v", replay, claim)
	}
	// The same key for another request: IDEMPOTENCY_KEY_REUSED.
	if reused := w.send(shopper, "ClaimCoupon", map[string]any{"templateId": cashTpl, "key": claimKey}); userErrorCode(reused, "claimCoupon") != "IDEMPOTENCY_KEY_REUSED" {
		t.Fatalf("a used key for another claim: %v, want IDEMPOTENCY_KEY_REUSED", reused)
	}
	red := w.must(desk, "RedeemCode", map[string]any{"code": str(claim, "claimCoupon", "coupon", "numericCode"), "key": fresh()})
	void := w.must(desk, "VoidRedemption", map[string]any{"redemptionId": str(red, "redeemCode", "redemption", "id"), "key": fresh()})
	if str(void, "voidRedemption", "redemption", "voidedAt") == "" {
		t.Fatalf("void: %v", void)
	}

	// 5. The desk issues a GOLD card (its type found in step 2) and recharges it.
	issued := w.must(desk, "IssueCard", map[string]any{"memberId": memberID, "cardTypeId": goldType})
	gold := str(issued, "issueCard", "card", "number")
	rc := w.must(desk, "RechargeCard", map[string]any{"mallId": mallID, "cardNumber": gold, "key": fresh()})
	if b := str(rc, "rechargeCard", "recharge", "balance"); !decimal.RequireFromString(b).GreaterThanOrEqual(decimal.NewFromInt(100)) {
		t.Fatalf("recharge: %v", rc)
	}
	if n == 0 { // without a card type: a clear, typed answer
		const q = `mutation($m: ID!) { issueCard(input: {memberId: $m}) { card { id } userErrors { code field message } } }`
		d := w.post(desk, q, "", map[string]any{"m": memberID})
		if userErrorCode(d, "issueCard") != "CARD_TYPE_REQUIRED" || !strings.Contains(str(d, "issueCard", "userErrors", 0, "message"), "cardTypes(groupId") {
			t.Fatalf("issueCard without cardTypeId: %v", d)
		}
	}

	// 6. Book the lounge with the stored value, then cancel.
	res := w.must(shopper, "BookableResources", map[string]any{"mallId": mallID})
	lounge := str(named(t, res, "name", "VIP lounge", "bookableResources"), "id")
	now := time.Now().UTC()
	slots := w.must(shopper, "BookingSlots", map[string]any{"resourceId": lounge,
		"from": now.Format(time.RFC3339), "to": now.AddDate(0, 0, 8).Format(time.RFC3339)})
	list, _ := path(slots, "bookingSlots").([]any)
	i := slices.IndexFunc(list, func(s any) bool { return path(s, "available").(float64) > 0 })
	if i < 0 {
		t.Fatalf("no free lounge slot: %v", slots)
	}
	bk := w.must(shopper, "CreateBooking", map[string]any{"slotId": str(list[i], "id"), "key": fresh()})
	if p := str(bk, "createBooking", "booking", "priceAmount"); !decimal.RequireFromString(p).Equal(decimal.NewFromInt(30)) {
		t.Fatalf("booking: %v", bk)
	}
	if c := w.must(shopper, "CancelBooking", map[string]any{"bookingId": str(bk, "createBooking", "booking", "id")}); str(c, "cancelBooking", "booking", "status") != "cancelled" {
		t.Fatalf("cancel: %v", c)
	}

	// 7. A purchase at COFFEE with the ¥20 coupon; its points are pending.
	cash := w.must(shopper, "ClaimCoupon", map[string]any{"templateId": cashTpl, "key": fresh()})
	bought := time.Now()
	p := w.must(cashier, "RecordPurchase", map[string]any{"in": map[string]any{"merchantId": coffeeID,
		"cardNumber": str(ecard, "number"), "amount": "120", "receiptNo": "R-" + fresh()[:8],
		"couponIds": []string{str(cash, "claimCoupon", "coupon", "id")}, "idempotencyKey": fresh()}})
	earned := decimal.RequireFromString(str(p, "recordPurchase", "purchase", "pointsEarned"))
	if !earned.IsPositive() || str(p, "recordPurchase", "purchase", "couponDiscount") != "20" {
		t.Fatalf("purchase: %v", p)
	}
	v := w.must(shopper, "MyCardValue", map[string]any{"cardId": str(ecard, "id")})
	pending := decimal.RequireFromString(str(v, "myCardValue", "pendingPoints"))
	spendable := decimal.RequireFromString(str(v, "myCardValue", "points"))
	if !pending.Equal(earned) || !spendable.Equal(decimal.NewFromFloat(signInPoints)) {
		t.Fatalf("after the purchase: pending %s (want %s), points %s (want the sign-in's %v): %v", pending, earned, spendable, signInPoints, v)
	}
	lot := named(t, v, "status", "PENDING", "myCardValue", "lots")
	at, err := time.Parse(time.RFC3339, str(lot, "availableAt"))
	if want := bought.AddDate(0, 0, 7); err != nil || at.Before(want.Add(-time.Minute)) || at.After(want.Add(time.Minute)) {
		t.Fatalf("pending lot available at %v (%v), want 7 days after the purchase (%v)", at, err, want)
	}
}
