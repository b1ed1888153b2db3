package app_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/org"
)

// checkSeedNotify (TestSeedDemoContent): the demo seed leaves a delivery log (the bills issued to the demo
// tenants, in the app) and one group message, however often it runs; the mall's admin
// reads both over GraphQL, finance (a wrong role) reads neither.
func checkSeedNotify(t *testing.T, e *env) {
	ctx := context.Background()
	g, err := e.app.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	mall, err := e.app.Services.Org.MallByCode(auth.WithViewer(ctx, org.SystemViewer(g)), "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	const q = `query($m: ID!) { deliveryLog(mallId: $m, first: 100, filter: {kind: "bill_issued"}) {
		edges { node { kind channel recipientKind status } } }
		groupMessages(mallId: $m) { edges { node { title matched } } } }`
	admin, _ := e.login("admin")
	r := e.do(admin, q, map[string]any{"m": relay.ID("Mall", mall.ID)})
	log, _ := path(r.Data, "deliveryLog", "edges").([]any)
	groups, _ := path(r.Data, "groupMessages", "edges").([]any)
	if len(r.Errors) > 0 || len(log) == 0 || len(groups) != 1 {
		t.Fatalf("admin: %d deliveries, %d group messages, errors %v", len(log), len(groups), r.Errors)
	}
	for _, d := range log {
		node := path(d, "node").(map[string]any)
		if node["channel"] == "in_app" && node["status"] != "sent" {
			t.Fatalf("an in-app bill notice not delivered: %v", node)
		}
	}
	finance, _ := e.login("finance")
	if r := e.do(finance, q, map[string]any{"m": relay.ID("Mall", mall.ID)}); len(r.Errors) == 0 {
		t.Fatal("finance read the delivery log")
	}
}
