package app_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/org"
)

// checkSeedMemberFees (TestSeedDemoContent): the demo seed makes GOLD a priced, renewable
// card product once (however often it runs), and the member fees verify.
func checkSeedMemberFees(t *testing.T, e *env) {
	ctx := context.Background()
	g, err := e.app.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := e.app.Services.Members.CardProducts(auth.WithViewer(ctx, org.SystemViewer(g)), g.ID)
	if err != nil {
		t.Fatal(err)
	}
	priced := 0
	for _, p := range ps {
		if p.Code == "GOLD" && p.Price != nil && p.Renewable && p.WithdrawalAllowed {
			priced++
		}
	}
	if priced != 1 {
		t.Fatalf("GOLD product: %+v", ps)
	}
	if breaches, err := memberfees.Verify(ctx, e.app.DB); err != nil || len(breaches) > 0 {
		t.Fatalf("verify: %v %v", breaches, err)
	}
}
