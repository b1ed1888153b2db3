package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
)

// checkSeedBilling (TestSeedDemoContent): the demo seed bills the demo contracts for the last two months and
// issues the bills (once, however often it runs); finance sees the runs and bills over
// GraphQL, the COFFEE tenant admin only its own issued bills, and the ledger verifies.
func checkSeedBilling(t *testing.T, e *env) {
	ctx := context.Background()
	g, err := e.app.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	mall, err := e.app.Services.Org.MallByCode(auth.WithViewer(ctx, org.SystemViewer(g)), "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	finance, _ := e.login("finance")
	r := e.do(finance, `query($m: ID!) { billRuns(mallId: $m) { edges { node { id period status total done billed } } }
		bills(mallId: $m, first: 100) { edges { node { id tenantId status gross vat net outstanding
			lines { code net vat gross } } } } }`, map[string]any{"m": relay.ID("Mall", mall.ID)})
	runs, _ := path(r.Data, "billRuns", "edges").([]any)
	bills, _ := path(r.Data, "bills", "edges").([]any)
	if len(runs) != 2 || len(bills) == 0 {
		t.Fatalf("runs and bills: %+v", r)
	}
	for _, run := range runs {
		if path(run, "node", "status") != "DONE" {
			t.Fatalf("run %+v", run)
		}
	}
	for _, b := range bills {
		if path(b, "node", "status") != "ISSUED" || len(path(b, "node", "lines").([]any)) == 0 {
			t.Fatalf("bill %+v", b)
		}
	}
	tenant, _ := e.login("coffee.tenant")
	r = e.do(tenant, `{ myBills { edges { node { id tenantId status } } } }`, nil)
	mine, _ := path(r.Data, "myBills", "edges").([]any)
	if len(mine) == 0 || len(mine) >= len(bills) {
		t.Fatalf("coffee's bills: %d of %d", len(mine), len(bills))
	}
	tenantID := path(mine[0], "node", "tenantId")
	for _, b := range bills {
		id := path(b, "node", "id")
		res := e.do(tenant, `query($b: ID!) { myBill(id: $b) { id } }`, map[string]any{"b": id})
		if path(b, "node", "tenantId") == tenantID {
			if path(res.Data, "myBill", "id") != id {
				t.Fatalf("own bill: %+v", res)
			}
		} else if res.code() != "FORBIDDEN" {
			t.Fatalf("another tenant's bill: %+v", res)
		}
		if res := e.do(tenant, `query($b: ID!) { bill(id: $b) { id } }`, map[string]any{"b": id}); res.code() != "FORBIDDEN" {
			t.Fatalf("bill(id) by a tenant: %+v", res)
		}
	}
	// The seed's payments: one bill paid, one partly paid, each payment once however often the seed ran.
	r = e.do(finance, `query($m: ID!) { tenantPayments(mallId: $m) { edges { node { method amount
		allocations { amount } } } } }`, map[string]any{"m": relay.ID("Mall", mall.ID)})
	if pays, _ := path(r.Data, "tenantPayments", "edges").([]any); len(pays) != 2 {
		t.Fatalf("demo payments: %+v", r)
	}
	// What stayed unpaid past its due date and grace days carries a late fee: a late-fee
	// bill, whose period is the accrual day.
	r = e.do(finance, `query($m: ID!) { bills(mallId: $m, first: 100) { edges { node { period gross } } } }`,
		map[string]any{"m": relay.ID("Mall", mall.ID)})
	lateFees := 0
	for _, b := range path(r.Data, "bills", "edges").([]any) {
		if p, _ := path(b, "node", "period").(string); len(p) == len("2006-01-02") {
			lateFees++
		}
	}
	if lateFees == 0 {
		t.Fatalf("no late-fee bill in the demo: %+v", r)
	}
	breaches, err := ledger.New(ledger.Deps{DB: e.app.DB, Now: time.Now}).Verify(ctx)
	more, err2 := billing.Verify(ctx, e.app.DB)
	if err != nil || err2 != nil || len(breaches)+len(more) > 0 {
		t.Fatalf("verify: %v %v %v %v", err, err2, breaches, more)
	}
}
