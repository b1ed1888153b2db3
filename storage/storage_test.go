package storage_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func TestMigrationsApplyToEmptyDatabaseAndAreIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := storage.OpenDB(ctx, storetest.EmptyDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 3 { // first run applies everything, later runs change nothing
		if err := storage.Migrate(ctx, db); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM goose_db_version WHERE is_applied`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 2 { // goose's own row plus at least the foundation migration
		t.Fatalf("applied %d migrations", n)
	}
	var river bool
	if err := db.Pool.QueryRow(ctx, `SELECT to_regclass('river_job') IS NOT NULL`).Scan(&river); err != nil || !river {
		t.Fatalf("river schema missing: %v", err)
	}
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	id := uuid.Must(uuid.NewV7())
	insert := func() error {
		_, err := db.Pool.Exec(ctx, `INSERT INTO org_groups (id, code, name) VALUES ($1, 'G1', 'Group')`, id)
		return storage.MapError(err)
	}
	if err := insert(); err != nil {
		t.Fatal(err)
	}
	if err := insert(); !errors.Is(err, storage.ErrConflict) || !storage.IsConstraint(err, "org_groups_pkey") {
		t.Fatalf("want conflict on org_groups_pkey, got %v", err)
	}
	err := storage.MapError(db.Pool.QueryRow(ctx, `SELECT id FROM org_groups WHERE code = 'nope'`).Scan(new(uuid.UUID)))
	if !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("want not found, got %v", err)
	}
	_, err = db.Pool.Exec(ctx, `INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, 'M', 'M')`, uuid.New(), uuid.New())
	if !errors.Is(storage.MapError(err), storage.ErrForeignKey) {
		t.Fatalf("want foreign key, got %v", err)
	}
	var d decimal.Decimal
	if err := db.Pool.QueryRow(ctx, `SELECT 12.345::numeric(18,2)`).Scan(&d); err != nil || d.String() != "12.35" {
		t.Fatalf("decimal round trip: %v %v", d, err)
	}
}

func TestIdempotentRunsOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	if _, err := db.Pool.Exec(ctx, `CREATE TABLE effects (n int)`); err != nil {
		t.Fatal(err)
	}
	type result struct{ N int }
	var wg sync.WaitGroup
	results := make(chan int, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var got result
			err := db.InTx(ctx, func(tx pgx.Tx) error {
				var err error
				got, _, err = storage.Idempotent(ctx, tx, "test", "k1", map[string]int{"amount": 5}, func() (result, error) {
					_, err := tx.Exec(ctx, `INSERT INTO effects VALUES (5)`)
					return result{N: 5}, err
				})
				return err
			})
			if err != nil {
				t.Error(err)
			}
			results <- got.N
		}()
	}
	wg.Wait()
	close(results)
	for n := range results {
		if n != 5 {
			t.Fatalf("replayed result %d", n)
		}
	}
	var count int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM effects`).Scan(&count)
	if count != 1 {
		t.Fatalf("effect ran %d times", count)
	}
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		_, _, err := storage.Idempotent(ctx, tx, "test", "k1", map[string]int{"amount": 6}, func() (result, error) {
			return result{}, nil
		})
		return err
	})
	if !errors.Is(err, storage.ErrIdempotencyMismatch) {
		t.Fatalf("want mismatch, got %v", err)
	}
}

// TestIdempotentQueuedResponse: a response queued in fn's last batch (QueueResponse) is
// what a repeat replays, with no separate store; a result that changed after it was
// queued is stored again; without a slot in ctx nothing is queued.
func TestIdempotentQueuedResponse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	type result struct{ N int }
	run := func(ctx context.Context, key string, queued, final int) (result, bool, int) {
		var out result
		var replayed bool
		var stmts int
		err := db.InTx(ctx, func(tx pgx.Tx) (err error) {
			out, replayed, err = storage.Idempotent(ctx, tx, "test", key, key, func() (result, error) {
				var b storage.Batch
				b.Queue(func(q storage.Querier) { _, _ = q.Exec(ctx, `SELECT 1`) })
				if err := storage.QueueResponse(ctx, &b, result{N: queued}); err != nil {
					return result{}, err
				}
				stmts = b.Len()
				return result{N: final}, b.Send(ctx, tx)
			})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out, replayed, stmts
	}
	for _, c := range []struct {
		name          string
		slot          bool
		queued, final int
		stmts         int
	}{
		{"queued and unchanged", true, 1, 1, 2},
		{"changed after queued", true, 1, 2, 2},
		{"no slot", false, 1, 3, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			cx := ctx
			if c.slot {
				cx = storage.WithResponseSlot(ctx)
			}
			key := c.name
			if got, replayed, n := run(cx, key, c.queued, c.final); got.N != c.final || replayed || n != c.stmts {
				t.Fatalf("first call: %v replayed %v, %d statements in the batch; want %d, false, %d", got, replayed, n,
					c.final, c.stmts)
			}
			if got, replayed, _ := run(cx, key, 9, 9); got.N != c.final || !replayed {
				t.Fatalf("repeat: %v replayed %v, want the first result %d replayed", got, replayed, c.final)
			}
		})
	}
}
