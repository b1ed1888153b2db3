package workers_test

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/storage/storetest"
	"github.com/atrium-mall/atrium/workers"
)

// start starts client; it is stopped, its jobs in flight finished, when the test ends.
func start(t *testing.T, client *workers.Client) {
	t.Helper()
	if err := client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := client.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
}

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
	start(t, servicetest.Jobs(t, workers.Deps{DB: db}, 2))
	var keys []string
	if !servicetest.WaitFor(20*time.Second, 100*time.Millisecond, func() bool { // waiting for the job queue
		keys = nil
		rows, _ := db.Pool.Query(ctx, `SELECT key FROM idempotency_keys ORDER BY key`)
		for rows.Next() {
			var k string
			_ = rows.Scan(&k)
			keys = append(keys, k)
		}
		rows.Close()
		return len(keys) == 1 && keys[0] == "new"
	}) {
		t.Fatalf("purge did not run; keys %v", keys)
	}
}
