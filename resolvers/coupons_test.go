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
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func couponsGQL(t *testing.T, gql http.Handler, ctx context.Context, query string, vars map[string]any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	resolvers.LoaderMiddleware(resolvers.Services{}, gql).ServeHTTP(rec, req)
	var out map[string]any
	raw, _ := io.ReadAll(rec.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response %s: %v", raw, err)
	}
	return out
}

func field(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func TestCouponsGraphQL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	rdb := storetest.Redis(t)
	orgs := org.New(db)
	codes := redemption.New(db, rdb, orgs, redemption.Config{}, time.Now)
	cp := coupons.New(db, rdb, orgs, codes, time.Now)
	gql := server.NewGraphQL(resolvers.Config(resolvers.Services{Org: orgs, Coupons: cp, Redemption: codes,
		Bookings: bookings.New(db, orgs, codes, time.Now)}),
		server.GraphQLOptions{Complexity: 1000, Depth: 12, Logger: slog.New(slog.DiscardHandler)})
	w := redemptiontest.NewWorld(t, db)
	ops := w.MallStaffAs(ctx, auth.RoleMemberOps)
	out := couponsGQL(t, gql, ops, `mutation($m: ID!) { createCouponTemplate(input: {mallId: $m, name: "10 off",
		kind: "cash", faceValue: "10", validDays: 7, totalStock: 5}) { template { id status } userErrors { code field } } }`,
		map[string]any{"m": relay.ID("Mall", w.MallID)})
	tplGID, _ := field(out, "data", "createCouponTemplate", "template", "id").(string)
	out = couponsGQL(t, gql, ops, `mutation($id: ID!) { setCouponTemplateStatus(id: $id, status: "active") {
		template { status faceValue } userErrors { code } } }`, map[string]any{"id": tplGID})
	if field(out, "data", "setCouponTemplateStatus", "template", "status") != "active" ||
		field(out, "data", "setCouponTemplateStatus", "template", "faceValue") != "10" {
		t.Fatalf("template: %v", out)
	}
	shopper := redemptiontest.Shopper(ctx, w.Member(t, db))

	out = couponsGQL(t, gql, shopper, `mutation($t: ID!) { claimCoupon(input: {templateId: $t, idempotencyKey: "k1"}) {
		coupon { id status numericCode qrToken qrPng } userErrors { code } } }`,
		map[string]any{"t": tplGID})
	c := field(out, "data", "claimCoupon", "coupon")
	token, _ := field(c, "qrToken").(string)
	png, _ := field(c, "qrPng").(string)
	if field(c, "status") != "issued" || token == "" || !strings.HasPrefix(png, "data:image/png;base64,") {
		t.Fatalf("claimCoupon: %v", out)
	}
	out = couponsGQL(t, gql, shopper, `{ myCoupons { edges { node { id numericCode } } } }`, nil)
	if field(out, "data", "myCoupons", "edges", 0, "node", "id") != field(c, "id") {
		t.Fatalf("myCoupons: %v", out)
	}

	staff := redemptiontest.MerchantStaff(ctx, w.MerchantA)
	redeem := `mutation($c: String!, $k: String!) { redeemCode(input: {code: $c, idempotencyKey: $k}) {
		redemption { id kind subjectId merchantId } userErrors { code } } }`
	out = couponsGQL(t, gql, staff, redeem, map[string]any{"c": token, "k": "r1"})
	red := field(out, "data", "redeemCode", "redemption")
	if field(red, "subjectId") != field(c, "id") || field(red, "merchantId") != relay.ID("Merchant", w.MerchantA) {
		t.Fatalf("redeemCode: %v", out)
	}
	out = couponsGQL(t, gql, staff, redeem, map[string]any{"c": field(c, "numericCode"), "k": "r2"})
	if field(out, "data", "redeemCode", "userErrors", 0, "code") != "CODE_ALREADY_USED" {
		t.Fatalf("second redeemCode: %v", out)
	}
	out = couponsGQL(t, gql, staff, `mutation($r: ID!) { voidRedemption(input: {redemptionId: $r, reason: "wrong", idempotencyKey: "v"}) {
		redemption { voidedAt voidReason } userErrors { code } } }`, map[string]any{"r": field(red, "id")})
	if field(out, "data", "voidRedemption", "redemption", "voidReason") != "wrong" {
		t.Fatalf("voidRedemption: %v", out)
	}
	out = couponsGQL(t, gql, staff, `query($m: ID!) { redemptionKeys { keyId publicKey active }
		redemptionChanges(mallId: $m, since: 0) { codeId status seq } }`, map[string]any{"m": relay.ID("Mall", w.MallID)})
	if field(out, "data", "redemptionKeys", 0, "active") != true || field(out, "data", "redemptionChanges", 0, "status") != "issued" {
		t.Fatalf("offline queries: %v", out)
	}
	out = couponsGQL(t, gql, shopper, `{ redemptionKeys { keyId } }`, nil)
	if field(out, "errors", 0, "extensions", "code") == nil {
		t.Fatalf("shopper reads keys: %v", out)
	}
}
