package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/storage"
)

// CaughtUp waits (up to 30 s) until db's standby (db.Read) has replayed the WAL its
// primary (db.Pool) has written until now. The standby's own lag of 0 is not enough:
// it says only that the standby replayed all it had received, which may be less.
func CaughtUp(t testing.TB, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	var upTo string
	if err := db.Pool.QueryRow(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&upTo); err != nil {
		t.Fatalf("primary's WAL position: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var replayed bool
		err := db.Read.QueryRow(ctx, "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)", upTo).Scan(&replayed)
		if err == nil && replayed {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby did not replay the primary's WAL up to %s: %v", upTo, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
