package devices_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/devices"
)

// TestBatchesNeverDeadlock: many concurrent transactions shaped like the bridge's
// batches — a status for a few devices (LockForStatus, SetStatus), claims of events of
// many devices in random order (KEY SHARE locks on their rows), then Touch — over the
// same 20 devices. None fails (no deadlock, no error) and every claim lands.
func TestBatchesNeverDeadlock(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	var ids []string
	for i := range 20 {
		id := fmt.Sprintf("m%02d", i)
		if _, _, err := f.svc.RegisterUnchecked(ctx, devices.NewDevice{ID: id, MallID: f.mall, Type: devices.Meter,
			MeterKind: "electricity"}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	const workers, batches, size = 8, 15, 30
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for b := range batches {
				statuses := []string{ids[r.IntN(len(ids))], ids[r.IntN(len(ids))]}
				err := f.db.InTx(ctx, func(tx pgx.Tx) error {
					if err := devices.LockForStatus(ctx, tx, statuses); err != nil {
						return err
					}
					var seen []string
					for i := range size {
						id := ids[r.IntN(len(ids))]
						if i == size/2 { // a status in the middle of the batch, as it arrived
							if err := devices.SetStatus(ctx, tx, statuses[0], true, f.now); err != nil {
								return err
							}
						}
						if _, err := devices.Claim(ctx, tx, id, fmt.Sprintf("w%d-b%d-%d", w, b, i), "reading", f.now,
							f.now); err != nil {
							return err
						}
						seen = append(seen, id)
					}
					return devices.Touch(ctx, tx, seen, f.now.Add(time.Duration(b)*time.Second))
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	var n int
	if err := f.db.Pool.QueryRow(ctx, `SELECT count(*) FROM iot_events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != workers*batches*size {
		t.Fatalf("%d events, want %d", n, workers*batches*size)
	}
}

// TestTouchNeverWaits: Touch skips a device row another transaction holds instead of
// waiting for it, and marks the others.
func TestTouchNeverWaits(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for _, id := range []string{"a", "b"} {
		if _, _, err := f.svc.RegisterUnchecked(ctx, devices.NewDevice{ID: id, MallID: f.mall, Type: devices.Meter,
			MeterKind: "electricity"}); err != nil {
			t.Fatal(err)
		}
	}
	holder, err := f.db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback(ctx) //nolint:errcheck
	if err := devices.LockForStatus(ctx, holder, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := devices.Touch(tctx, f.db.Pool, []string{"a", "b"}, f.now); err != nil {
		t.Fatalf("touch waited: %v", err)
	}
	var a, b bool
	if err := f.db.Pool.QueryRow(ctx, `SELECT (SELECT online FROM devices WHERE id = 'a'), (SELECT online FROM devices WHERE id = 'b')`).Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	if a || !b {
		t.Fatalf("online: a %v (held, skipped), b %v (marked)", a, b)
	}
}
