package app_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/org"
)

// checkSeedLeasing (TestSeedDemoContent): the demo seed gives the mall a floor of thirty units and six
// contracts in different states (once, however often it runs); the leasing clerk sees
// them all, the COFFEE tenant admin its own contract only.
func checkSeedLeasing(t *testing.T, e *env) {
	ctx := context.Background()
	g, err := e.app.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	mall, err := e.app.Services.Org.MallByCode(auth.WithViewer(ctx, org.SystemViewer(g)), "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	clerk, _ := e.login("leasing")
	r := e.do(clerk, `query($m: ID!) { vacancy(mallId: $m, floor: "L2") { unitCount vacantCount }
		contracts(mallId: $m, first: 50) { edges { node { id status tenantId } } } }`, map[string]any{"m": relay.ID("Mall", mall.ID)})
	if path(r.Data, "vacancy", 0, "unitCount") != float64(30) {
		t.Fatalf("vacancy: %+v", r)
	}
	edges, _ := path(r.Data, "contracts", "edges").([]any)
	statuses := map[any]int{}
	for _, e := range edges {
		statuses[path(e, "node", "status")]++
	}
	if len(edges) != 6 || statuses["ACTIVE"] != 3 || statuses["DRAFT"] != 1 || statuses["SUBMITTED"] != 1 || statuses["TERMINATED"] != 1 {
		t.Fatalf("contracts: %v", statuses)
	}
	tenant, _ := e.login("coffee.tenant")
	r = e.do(tenant, `{ myTenantContracts { edges { node { id status schedule(through: "2030-01-01") { code } } } } }`, nil)
	mine, _ := path(r.Data, "myTenantContracts", "edges").([]any)
	if len(mine) != 1 || path(mine[0], "node", "status") != "ACTIVE" {
		t.Fatalf("tenant's contracts: %+v", r)
	}
	for _, e2 := range edges {
		id := path(e2, "node", "id")
		if id == path(mine[0], "node", "id") {
			continue
		}
		if r := e.do(tenant, `query($c: ID!) { contract(id: $c) { id } }`, map[string]any{"c": id}); r.code() != "FORBIDDEN" {
			t.Fatalf("another tenant's contract: %+v", r)
		}
	}
}
