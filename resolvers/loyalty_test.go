package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// loyaltyAPI serves the schema with the viewer taken from the test.
type loyaltyAPI struct {
	t   testing.TB
	gql http.Handler
	db  *storage.DB
}

func newLoyaltyAPI(t testing.TB) (loyaltyAPI, ledgertest.Org, *ledger.Service, func() *auth.Viewer) {
	db := storetest.DB(t)
	l := ledger.New(ledger.Deps{DB: db, Now: time.Now})
	svc := newLoyalty(db, l, storetest.Redis(t))
	org := ledgertest.NewOrg(t, db)
	gql := server.NewGraphQL(resolvers.Config(resolvers.Services{Loyalty: svc}),
		server.GraphQLOptions{Complexity: 1000, Depth: 12, Logger: slog.New(slog.DiscardHandler)})
	staff := func() *auth.Viewer {
		return &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(), Grants: []auth.Grant{
			{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: org.MerchantID},
			{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: org.MallID}}}
	}
	return loyaltyAPI{t: t, gql: gql, db: db}, org, l, staff
}

// newLoyalty builds the loyalty service over db with its dependencies.
func newLoyalty(db *storage.DB, l *ledger.Service, rdb storage.Redis) *loyalty.Service {
	orgs := org.New(org.Deps{DB: db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)})
	cps := coupons.New(coupons.Deps{DB: db, Redis: rdb, Org: orgs, Codes: redemption.New(redemption.Deps{DB: db, Redis: rdb, Org: orgs, Config: redemption.Config{}, Now: time.Now}), Now: time.Now})
	return loyalty.New(loyalty.Deps{DB: db, Ledger: l, Redis: rdb, Org: orgs, Coupons: cps, Zones: orgs.Zones(),
		Now: time.Now})
}

func (a loyaltyAPI) do(v *auth.Viewer, query string, vars map[string]any) map[string]any {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(auth.WithViewer(context.Background(), v))
	rec := httptest.NewRecorder()
	resolvers.LoaderMiddleware(a.gql).ServeHTTP(rec, req)
	var out map[string]any
	raw, _ := io.ReadAll(rec.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		a.t.Fatalf("response %s: %v", raw, err)
	}
	return out
}

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

const recordPurchase = `mutation($in: RecordPurchaseInput!) { recordPurchase(input: $in) {
	purchase { id payable storedValue pointsEarned } userErrors { code field } } }`

func TestLoyaltyGraphQL(t *testing.T) {
	t.Parallel()
	api, org, l, staff := newLoyaltyAPI(t)
	memberID := org.Member(t, api.db)
	cardID, number := org.Card(t, api.db, memberID)
	desk := staff()
	out := api.do(desk, `mutation($in: RechargeCardInput!) { rechargeCard(input: $in) { recharge { balance } userErrors { code } } }`,
		map[string]any{"in": map[string]any{"mallId": relay.ID("Mall", org.MallID), "cardNumber": number,
			"amount": "100", "idempotencyKey": "r1"}})
	if get(out, "data", "rechargeCard", "recharge", "balance") != "100" {
		t.Fatalf("rechargeCard: %v", out)
	}
	in := map[string]any{"merchantId": relay.ID("Merchant", org.MerchantID), "cardNumber": number, "amount": "30",
		"storedValue": "30", "receiptNo": "G1", "idempotencyKey": "p1"}
	out = api.do(desk, recordPurchase, map[string]any{"in": in})
	if get(out, "data", "recordPurchase", "purchase", "pointsEarned") != "30" {
		t.Fatalf("recordPurchase: %v", out)
	}
	in["idempotencyKey"], in["storedValue"], in["receiptNo"], in["amount"] = "p2", "80", "G2", "80"
	out = api.do(desk, recordPurchase, map[string]any{"in": in})
	if ue, _ := get(out, "data", "recordPurchase", "userErrors").([]any); len(ue) != 1 ||
		get(ue[0], "code") != "INSUFFICIENT_BALANCE" {
		t.Fatalf("overdraw: %v", out)
	}
	shopper := &auth.Viewer{Kind: auth.KindShopper, ID: memberID}
	out = api.do(shopper, recordPurchase, map[string]any{"in": in})
	if !strings.Contains(mustMarshal(out), "FORBIDDEN") {
		t.Fatalf("a shopper recording a purchase: %v", out)
	}
	out = api.do(shopper, `query($c: ID!, $m: ID!) { myCardValue(cardId: $c) { storedValue points lots { remaining status expiresAt } }
		myRank(mallId: $m) { rank points } leaderboard(mallId: $m) { rank points } }`,
		map[string]any{"c": relay.ID("Card", cardID), "m": relay.ID("Mall", org.MallID)})
	if get(out, "data", "myCardValue", "storedValue") != "70" || get(out, "data", "myCardValue", "points") != "30" ||
		get(out, "data", "myRank", "rank") != float64(1) {
		t.Fatalf("shopper views: %v", out)
	}
	out = api.do(shopper, `query($c: ID!) { myCardHistory(cardId: $c, first: 2) { edges { node { kind storedValue points } }
		pageInfo { hasNextPage } } }`, map[string]any{"c": relay.ID("Card", cardID)})
	if get(out, "data", "myCardHistory", "pageInfo", "hasNextPage") != true ||
		len(get(out, "data", "myCardHistory", "edges").([]any)) != 2 {
		t.Fatalf("myCardHistory: %v", out)
	}
	out = api.do(desk, `mutation { refundPurchase(input: {merchantId: "`+relay.ID("Merchant", org.MerchantID)+
		`", receiptNo: "G1", idempotencyKey: "f1"}) { refund { storedValue pointsClawedBack } userErrors { code } } }`, nil)
	if get(out, "data", "refundPurchase", "refund", "pointsClawedBack") != "30" {
		t.Fatalf("refundPurchase: %v", out)
	}
	if b, _ := l.CardBalances(context.Background(), cardID); !b.StoredValue.Equal(b.StoredValue.Round(2)) || b.StoredValue.String() != "100" {
		t.Fatalf("balance after refund: %+v", b)
	}
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
