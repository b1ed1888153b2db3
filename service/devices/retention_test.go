package devices_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/devices"
)

// claim claims (cam, id) at receivedAt in a transaction of its own.
func (f fixture) claim(t *testing.T, id string, at time.Time) bool {
	t.Helper()
	var fresh bool
	err := f.db.InTx(context.Background(), func(tx pgx.Tx) error {
		var err error
		fresh, err = devices.Claim(context.Background(), tx, "cam", id, "recognition", at, at)
		return err
	})
	if err != nil {
		t.Fatalf("claim %s: %v", id, err)
	}
	return fresh
}

func (f fixture) camera(t *testing.T) {
	t.Helper()
	if _, _, err := f.svc.RegisterUnchecked(context.Background(), devices.NewDevice{ID: "cam", MallID: f.mall,
		Type: devices.FaceCamera}); err != nil {
		t.Fatal(err)
	}
}

func (f fixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// partitionOf is the partition holding the event's row.
func (f fixture) partitionOf(t *testing.T, id string) string {
	t.Helper()
	var p string
	if err := f.db.Pool.QueryRow(context.Background(), `SELECT tableoid::regclass::text FROM iot_events
		WHERE device_id = 'cam' AND event_id = $1`, id).Scan(&p); err != nil {
		t.Fatalf("partition of %s: %v", id, err)
	}
	return p
}

func (f fixture) rotate(t *testing.T, now time.Time) devices.RotateReport {
	t.Helper()
	rep, err := f.svc.RotateEvents(context.Background(), now, devices.DefaultRetention())
	if err != nil {
		t.Fatalf("rotate at %s: %v", now, err)
	}
	return rep
}

var boundary = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // a month (partition) boundary

// TestClaimOnceAcrossPartitionBoundary: 20 deliveries of one event received on both
// sides of a month boundary (so their rows would land in two partitions) are claimed
// once, and the one row has the outcome.
func TestClaimOnceAcrossPartitionBoundary(t *testing.T) {
	f := setup(t)
	f.camera(t)
	f.rotate(t, boundary.AddDate(0, -1, 0))
	var won atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := boundary.Add(time.Duration(i-10) * time.Second)
			err := f.db.InTx(context.Background(), func(tx pgx.Tx) error {
				ok, err := devices.Claim(context.Background(), tx, "cam", "e1", "recognition", at, at)
				if ok {
					won.Add(1)
					return devices.SetOutcome(context.Background(), tx, "cam", "e1", "unknown_face")
				}
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Fatalf("%d claims won", won.Load())
	}
	if n := f.count(t, `SELECT count(*) FROM iot_events WHERE event_id = 'e1' AND outcome = 'unknown_face'`); n != 1 {
		t.Fatalf("%d rows with the outcome", n)
	}
	// Sequentially: before the boundary, then a retry after it.
	if !f.claim(t, "e2", boundary.Add(-time.Second)) || f.claim(t, "e2", boundary.Add(time.Second)) {
		t.Fatal("a retry after the month boundary was claimed again")
	}
	if p := f.partitionOf(t, "e2"); p != "iot_events_202602" {
		t.Fatalf("e2 in %s", p)
	}
}

// TestRetention: the job keeps claims within the de-duplication window (a retry after
// it ran is still a duplicate), drops months past the retention but not the ones
// within it, and does nothing more on a rerun.
func TestRetention(t *testing.T) {
	f := setup(t)
	f.camera(t)
	start := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	f.rotate(t, start) // 2025-01 … 2025-04
	if !f.claim(t, "jan", start) || !f.claim(t, "feb", start.AddDate(0, 1, 0)) {
		t.Fatal("first claims refused")
	}
	// 13 months after January: January is still kept.
	rep := f.rotate(t, time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC))
	if n := f.count(t, `SELECT count(*) FROM iot_events`); n != 2 || len(rep.Dropped) != 0 {
		t.Fatalf("%d events kept at the end of February 2026 (dropped %v), want 2", n, rep.Dropped)
	}
	if rep.ClaimsPurged != 2 {
		t.Fatalf("%d claims purged, want the two of 2025", rep.ClaimsPurged)
	}
	// Events on both sides of the boundary, just before the job runs on the 1st.
	if !f.claim(t, "late", boundary.Add(-time.Hour)) || !f.claim(t, "early", boundary.Add(time.Minute)) {
		t.Fatal("claims refused")
	}
	now := boundary.Add(time.Hour)
	rep = f.rotate(t, now)
	if !slices.Equal(rep.Dropped, []string{"iot_events_202501"}) || rep.ClaimsPurged != 0 {
		t.Fatalf("dropped %v and %d claims, want January 2025 and no claim", rep.Dropped, rep.ClaimsPurged)
	}
	if n := f.count(t, `SELECT count(*) FROM pg_class WHERE relname IN ('iot_events_202501', 'iot_events_202502')`); n != 1 {
		t.Fatalf("%d of January and February 2025 left, want February", n)
	}
	if n := f.count(t, `SELECT count(*) FROM iot_events WHERE event_id IN ('feb', 'late', 'early')`); n != 3 {
		t.Fatalf("%d events within the retention left, want 3", n)
	}
	// Retries within the window are still duplicates after the job ran.
	if f.claim(t, "late", now) || f.claim(t, "early", now) {
		t.Fatal("a retry within the de-duplication window was claimed again")
	}
	// A rerun does nothing more.
	again := f.rotate(t, now)
	if len(again.Dropped) != 0 || again.ClaimsPurged != 0 || again.DefaultPurged != 0 {
		t.Fatalf("rerun did %+v", again)
	}
	if n := f.count(t, `SELECT count(*) FROM iot_events`); n != 3 {
		t.Fatalf("%d events after the rerun, want 3", n)
	}
	// Past the de-duplication window a retry is processed again (the documented limit).
	f.rotate(t, now.AddDate(0, 0, 8))
	if !f.claim(t, "late", now.AddDate(0, 0, 8)) {
		t.Fatal("a claim past the de-duplication window was kept")
	}
}

// TestPartitionCreatedOverDefaultRows: events received while their month had no
// partition sit in the default partition; creating the month moves them into it, and
// rows older than the retention left in the default are deleted.
func TestPartitionCreatedOverDefaultRows(t *testing.T) {
	f := setup(t)
	f.camera(t)
	at := time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)
	if !f.claim(t, "stray", at) || !f.claim(t, "older", at.AddDate(-2, 0, 0)) {
		t.Fatal("claims refused")
	}
	if p := f.partitionOf(t, "stray"); p != "iot_events_default" {
		t.Fatalf("stray in %s", p)
	}
	rep := f.rotate(t, at.AddDate(0, 0, 1))
	if p := f.partitionOf(t, "stray"); p != "iot_events_202406" {
		t.Fatalf("stray in %s after the job", p)
	}
	if rep.DefaultPurged != 1 || f.count(t, `SELECT count(*) FROM iot_events WHERE event_id = 'older'`) != 0 {
		t.Fatalf("old default rows: %+v", rep)
	}
	if f.claim(t, "stray", at.AddDate(0, 0, 1)) {
		t.Fatal("stray claimed twice")
	}
}
