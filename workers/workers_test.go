package workers_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/storage/storetest"
	"github.com/atrium-mall/atrium/workers"
)

// TestPeriodicPurgeRuns starts River on a test database and sees the periodic purge of
// old idempotency records run (it runs on start) and leave recent ones alone.
func TestPeriodicPurgeRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	_, err := db.Pool.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES
		('test', 'old', '\x00', now() - interval '100 days'), ('test', 'new', '\x00', now())`)
	if err != nil {
		t.Fatal(err)
	}
	client, err := workers.New(workers.Deps{DB: db, Now: time.Now}, slog.New(slog.NewTextHandler(io.Discard, nil)), 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := client.Stop(sctx); err != nil {
			t.Error(err)
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var keys []string
		rows, _ := db.Pool.Query(ctx, `SELECT key FROM idempotency_keys ORDER BY key`)
		for rows.Next() {
			var k string
			_ = rows.Scan(&k)
			keys = append(keys, k)
		}
		rows.Close()
		if len(keys) == 1 && keys[0] == "new" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("purge did not run; keys %v", keys)
		}
		time.Sleep(100 * time.Millisecond) // waiting for the job queue
	}
}
