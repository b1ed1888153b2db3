package app_test

import (
	"context"
	"testing"
)

// TestSeedDemoContent seeds the demo content twice into one database (the seed must
// be rerunnable without doubling anything) and then checks each context's part of
// it. One seeded database serves every check: seeding the whole demo is the costly
// part, and the checks only read.
func TestSeedDemoContent(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	for range 2 {
		if err := e.app.SeedDemoContent(ctx); err != nil {
			t.Fatal(err)
		}
	}
	checks := []struct {
		name  string
		check func(*testing.T, *env)
	}{
		{"assets", checkSeedAssets},
		{"billing", checkSeedBilling},
		{"brands", checkSeedBrands},
		{"leasing", checkSeedLeasing},
		{"notify", checkSeedNotify},
		{"warehouse", checkSeedWarehouse},
		{"member fees", checkSeedMemberFees},
		{"alliance", checkSeedAlliance},
		{"reports", checkSeedReports},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			sub := *e // the same app and server; failures belong to the subtest
			sub.t = t
			c.check(t, &sub)
		})
	}
}
