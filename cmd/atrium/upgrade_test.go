package main

import (
	"context"
	_ "embed"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// upgradeData is a database used by Atrium at schema version 00037 (see its header).
//
//go:embed testdata/upgrade_v37_data.sql
var upgradeData string

// TestUpgradeFromSchema37HoldingData: a database migrated and used by the release at
// schema version 00037 (the last context-numbered migration), holding the demo
// organisation, members, cards, coupons, purchases, recharges and a refund, upgrades to
// the current schema; then `atrium ledger verify` passes, the demo seed (current code
// reading the old rows) completes, and the ledger still verifies.
func TestUpgradeFromSchema37HoldingData(t *testing.T) {
	ctx := context.Background()
	url := storetest.EmptyDB(t)
	t.Setenv("ATRIUM_ENV", "dev")
	t.Setenv("ATRIUM_DATABASE_URL", url)
	t.Setenv("ATRIUM_REDIS_URL", storetest.RedisURL())
	t.Setenv("ATRIUM_REDIS_PREFIX", storetest.RandomName("test:upgrade")+":")
	t.Setenv("ATRIUM_DATA_DIR", t.TempDir())
	t.Setenv("ATRIUM_DATA_KEY_FILE", "testdata/upgrade_v37_data.key")
	t.Setenv("ATRIUM_DEMO_PASSWORD", "atrium-demo")
	t.Setenv("ATRIUM_PASSWORD_COST", "4")

	db, err := storage.OpenDB(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := storage.MigrateTo(ctx, db, 37); err != nil {
		t.Fatalf("schema of the old release: %v", err)
	}
	loadDump(t, url, upgradeData)
	// The old release's rows, by id: the demo seed may add its own (the reports' demo
	// shoppers), but none of these may go.
	var oldMembers, oldPurchases []uuid.UUID
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT array_agg(id) FROM members), (SELECT array_agg(id) FROM loyalty_purchases)`).
		Scan(&oldMembers, &oldPurchases); err != nil {
		t.Fatal(err)
	}
	if len(oldMembers) != 3 || len(oldPurchases) != 6 {
		t.Fatalf("the old release's dump holds %d members, %d purchases; want 3 and 6", len(oldMembers), len(oldPurchases))
	}
	steps := []struct {
		name string
		args []string
	}{
		{"upgrade the schema", []string{"migrate"}},
		{"ledger verifies after the upgrade", []string{"ledger", "verify"}},
		{"migrating again changes nothing", []string{"migrate"}},
		{"the demo seed completes over the old rows", []string{"seed", "--demo"}},
		{"ledger still verifies", []string{"ledger", "verify"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if code := run(ctx, st.args); code != 0 {
				t.Fatalf("atrium %v exited %d", st.args, code)
			}
		})
	}
	var members, purchases int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM members WHERE id = ANY($1)),
		(SELECT count(*) FROM loyalty_purchases WHERE id = ANY($2))`, oldMembers, oldPurchases).
		Scan(&members, &purchases); err != nil {
		t.Fatal(err)
	}
	if members != 3 || purchases != 6 {
		t.Fatalf("after the upgrade: %d of the old release's 3 members, %d of its 6 purchases", members, purchases)
	}
}

// loadDump runs a pg_dump script on a connection of its own (it empties search_path).
func loadDump(t *testing.T, url, dump string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, dump); err != nil {
		t.Fatalf("load the old release's data: %v", err)
	}
}
