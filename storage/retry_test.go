package storage_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// Two transactions that lock two rows in opposite orders deadlock; PostgreSQL aborts one.
// With InTx the victim fails with 40P01; with InTxRetry it runs again and both commit.
func TestInTxRetryRecoversFromDeadlock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	if _, err := db.Pool.Exec(ctx, `CREATE TABLE retry_rows (id int PRIMARY KEY, n int NOT NULL);
		INSERT INTO retry_rows VALUES (1, 0), (2, 0)`); err != nil {
		t.Fatal(err)
	}
	run := func(inTx func(context.Context, func(pgx.Tx) error) error) (errs []error, attempts int32) {
		var tries atomic.Int32
		var both sync.WaitGroup // both transactions hold their first row
		both.Add(2)
		var wg sync.WaitGroup
		out := make([]error, 2)
		for i, order := range [][2]int{{1, 2}, {2, 1}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				first := true
				out[i] = inTx(ctx, func(tx pgx.Tx) error {
					tries.Add(1)
					if _, err := tx.Exec(ctx, `UPDATE retry_rows SET n = n + 1 WHERE id = $1`, order[0]); err != nil {
						return err
					}
					if first { // only the first attempts meet; a retry runs alone
						first = false
						both.Done()
						both.Wait()
					}
					_, err := tx.Exec(ctx, `UPDATE retry_rows SET n = n + 1 WHERE id = $1`, order[1])
					return err
				})
			}()
		}
		wg.Wait()
		return out, tries.Load()
	}

	plain, _ := run(db.InTx)
	failed := 0
	for _, err := range plain {
		if err != nil {
			if !storage.Retryable(err) {
				t.Fatalf("plain InTx: %v, want a deadlock", err)
			}
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("plain InTx: %d transactions failed, want the one deadlock victim", failed)
	}

	retried, attempts := run(db.InTxRetry)
	if err := errors.Join(retried...); err != nil {
		t.Fatalf("InTxRetry: %v", err)
	}
	if attempts != 3 {
		t.Errorf("%d attempts, want 3 (the victim ran twice)", attempts)
	}
	var n1, n2 int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT n FROM retry_rows WHERE id = 1), (SELECT n FROM retry_rows WHERE id = 2)`).
		Scan(&n1, &n2); err != nil {
		t.Fatal(err)
	}
	// plain: the winner's 2 updates; retry: 4 more. Each row got 3.
	if n1 != 3 || n2 != 3 {
		t.Errorf("rows = %d, %d; want 3, 3", n1, n2)
	}
}
