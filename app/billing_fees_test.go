package app_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/org"
)

// TestBillingFeesGraphQL: finance sets and lists a mall's energy tariffs and reads its
// arrears and requests; a tenant reads its own outstanding and statement only; the
// tenant, another mall's staff and an anonymous caller get none of finance's operations.
func TestBillingFeesGraphQL(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	g, err := e.app.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	mall, err := e.app.Services.Org.MallByCode(auth.WithViewer(ctx, org.SystemViewer(g)), "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	e.otherMall()
	m := map[string]any{"m": relay.ID("Mall", mall.ID)}
	finance, _ := e.login("finance")
	r := e.do(finance, `mutation($m: ID!) { setEnergyTariff(mallId: $m, meterKind: "electricity", effectiveFrom: "2026-01-01",
		tariff: "{\"kind\":\"FLAT\",\"price\":\"0.95\"}") { tariffs { meterKind tariff } userErrors { code } } }`, m)
	if path(r.Data, "setEnergyTariff", "tariffs", 0, "meterKind") != "electricity" {
		t.Fatalf("setEnergyTariff: %+v", r)
	}
	r = e.do(finance, `mutation($m: ID!) { setEnergyTariff(mallId: $m, meterKind: "electricity", effectiveFrom: "2026-01-01",
		tariff: "{\"kind\":\"FLAT\"}") { userErrors { code field } } }`, m)
	if path(r.Data, "setEnergyTariff", "userErrors", 0, "code") == nil {
		t.Fatalf("an invalid tariff: %+v", r)
	}
	finOps := `query($m: ID!) { energyTariffs(mallId: $m) { meterKind effectiveFrom }
		arrears(mallId: $m) { tenantId total buckets { bucket amount } }
		billingRequests(mallId: $m) { edges { node { id } } } }`
	if r = e.do(finance, finOps, m); len(r.Errors) > 0 || path(r.Data, "energyTariffs", 0, "effectiveFrom") != "2026-01-01" {
		t.Fatalf("finance's reads: %+v", r)
	}
	tenant, _ := e.login("coffee.tenant")
	r = e.do(tenant, `{ myOutstanding { total buckets { bucket } } myStatement(from: "2026-01-01", to: "2026-12-31") { opening closing } }`, nil)
	if len(r.Errors) > 0 || path(r.Data, "myOutstanding", "buckets", 0, "bucket") != "CURRENT" {
		t.Fatalf("the tenant's own: %+v", r)
	}
	desk2, _ := e.login2("desk2", demoPassword)
	for name, token := range map[string]string{"the tenant": tenant, "another mall's desk": desk2} {
		if r := e.do(token, finOps, m); r.code() != "FORBIDDEN" {
			t.Errorf("finance's reads by %s: %+v", name, r)
		}
		if r := e.do(token, `mutation { approveLateFeeWaiver(id: "00000000-0000-0000-0000-000000000001") { userErrors { code } } }`, nil); r.code() != "FORBIDDEN" {
			t.Errorf("approveLateFeeWaiver by %s: %+v", name, r)
		}
	}
	if r := e.do("", finOps, m); r.code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous: %+v", r)
	}
	if r := e.do(finance, `{ myOutstanding { total } }`, nil); r.code() != "FORBIDDEN" {
		t.Errorf("myOutstanding by finance: %+v", r)
	}
}
