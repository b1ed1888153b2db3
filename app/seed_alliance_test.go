package app_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/org"
)

// checkSeedAlliance (TestSeedDemoContent): the demo seed leaves one alliance merchant
// with one imported run (two rows: the seed ran twice, the run was not repeated) and a
// pending member exit application; the mall's admin reads them over GraphQL.
func checkSeedAlliance(t *testing.T, e *env) {
	ctx := context.Background()
	g, err := e.app.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	mall, err := e.app.Services.Org.MallByCode(auth.WithViewer(ctx, org.SystemViewer(g)), "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := e.login("admin")
	r := e.do(admin, `query($m: ID!, $g: ID!) { allianceMerchants(mallId: $m) { id code }
		memberExits(groupId: $g, status: APPLIED) { id status } }`,
		map[string]any{"m": relay.ID("Mall", mall.ID), "g": relay.ID("Group", g.ID)})
	ms, _ := path(r.Data, "allianceMerchants").([]any)
	exits, _ := path(r.Data, "memberExits").([]any)
	if len(r.Errors) > 0 || len(ms) != 1 || len(exits) != 1 {
		t.Fatalf("admin: %d alliance merchants, %d applied exits, errors %v", len(ms), len(exits), r.Errors)
	}
	r = e.do(admin, `query($am: ID!) { allianceRuns(merchantId: $am) { rowsImported points } }`,
		map[string]any{"am": path(ms[0], "id")})
	runs, _ := path(r.Data, "allianceRuns").([]any)
	if len(r.Errors) > 0 || len(runs) != 1 || path(runs[0], "rowsImported") != float64(2) {
		t.Fatalf("admin: alliance runs %v, errors %v", runs, r.Errors)
	}
}
