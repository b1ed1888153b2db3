package storage_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestBatchRunsStatementsInOrder: statements queued through the Querier Queue hands in
// run in order in the caller's transaction, each result read by its function; a later
// statement sees what an earlier one wrote.
func TestBatchRunsStatementsInOrder(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx := context.Background()
	var got []int
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		// the statements of a batch are prepared before the first runs: no DDL inside
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE batch_t (v int)`); err != nil {
			return err
		}
		var b storage.Batch
		b.Queue(func(q storage.Querier) { _, _ = q.Exec(ctx, `INSERT INTO batch_t VALUES ($1), ($2)`, 1, 2) })
		b.Queue(func(q storage.Querier) { _ = q.QueryRow(ctx, `SELECT sum(v)::int FROM batch_t`).Scan() }).
			QueryRow(func(row pgx.Row) error {
				var n int
				err := row.Scan(&n)
				got = append(got, n)
				return err
			})
		b.Queue(func(q storage.Querier) { _, _ = q.Query(ctx, `SELECT v FROM batch_t ORDER BY v`) }).
			Query(func(rows pgx.Rows) error {
				vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
				got = append(got, vs...)
				return err
			})
		if b.Len() != 3 {
			t.Errorf("Len = %d, want 3", b.Len())
		}
		return b.Send(ctx, tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != 3 || got[1] != 1 || got[2] != 2 {
		t.Errorf("results %v, want [3 1 2]", got)
	}
}

// TestBatchSendReturnsTheFirstError: a failing statement's error comes back from Send.
func TestBatchSendReturnsTheFirstError(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx := context.Background()
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var b storage.Batch
		b.Queue(func(q storage.Querier) { _, _ = q.Exec(ctx, `SELECT 1/0`) })
		b.Queue(func(q storage.Querier) { _, _ = q.Exec(ctx, `SELECT 1`) })
		return b.Send(ctx, tx)
	})
	if err == nil || storage.IsDataException(err) {
		t.Fatalf("Send = %v, want division by zero", err)
	}
}

// TestBatchQueueTakesOneStatement: a call that makes no statement, or two, is a bug.
func TestBatchQueueTakesOneStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, call := range map[string]func(q storage.Querier){
		"none": func(storage.Querier) {},
		"two": func(q storage.Querier) {
			_, _ = q.Exec(ctx, `SELECT 1`)
			_, _ = q.Exec(ctx, `SELECT 2`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Queue accepted it")
				}
			}()
			var b storage.Batch
			b.Queue(call)
		})
	}
}
