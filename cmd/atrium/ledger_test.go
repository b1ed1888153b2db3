package main

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func TestRunLedgerVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	org := ledgertest.NewOrg(t, db)
	if code := runLedgerVerify(ctx, db); code != 0 {
		t.Fatalf("exit code %d on an empty ledger", code)
	}
	card, _ := org.Card(t, db, org.Member(t, db))
	// A cached balance nobody posted: a breach.
	_, err := db.Pool.Exec(ctx, `INSERT INTO ledger_accounts (id, group_id, kind, owner_id, asset, cached, balance)
		VALUES (gen_random_uuid(), $1, 'card', $2, 'cny', true, 5)`, org.GroupID, card)
	if err != nil {
		t.Fatal(err)
	}
	if code := runLedgerVerify(ctx, db); code != 1 {
		t.Fatalf("exit code %d with a breach, want 1", code)
	}
}
