package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/org"

	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/assets"
	"github.com/atrium-mall/atrium/service/ledger"
)

// checkSeedAssets (TestSeedDemoContent): the demo seed registers the demo equipment once (however often it
// runs), finance sees it over GraphQL with its depreciation posted, the chiller has its
// maintenance order, and the ledger (assets included) verifies.
func checkSeedAssets(t *testing.T, e *env) {
	ctx := context.Background()
	g, err := e.app.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.app.Services.Org.MallByCode(auth.WithViewer(ctx, org.SystemViewer(g)), "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	mall := m.ID
	finance, _ := e.login("finance")
	r := e.do(finance, `query($m: ID!) { assets(mallId: $m) { edges { node { tag status tagQrPng
		maintenanceHistory { dueKey workOrderId } } } } assetStocktakes(mallId: $m) { count { scans found { tag } } } }`,
		map[string]any{"m": relay.ID("Mall", mall)})
	edges, _ := path(r.Data, "assets", "edges").([]any)
	if len(edges) != 3 || fmt.Sprint(path(r.Data, "assetStocktakes", 0, "count", "scans")) != "1" {
		t.Fatalf("demo assets: %+v %v", r.Data, r.Errors)
	}
	history := 0
	for _, e := range edges {
		l, _ := path(e, "node", "maintenanceHistory").([]any)
		history += len(l)
	}
	if history != 1 {
		t.Fatalf("maintenance history %d, want the chiller's one order", history)
	}
	breaches, err := ledger.New(ledger.Deps{DB: e.app.DB, Now: time.Now}).Verify(ctx)
	more, err2 := assets.Verify(ctx, e.app.DB)
	if err != nil || err2 != nil || len(breaches)+len(more) > 0 {
		t.Fatalf("verify: %v %v %v %v", breaches, more, err, err2)
	}
}
