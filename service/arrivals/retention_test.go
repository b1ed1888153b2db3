package arrivals_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/storage"
)

// Snapshots past their retention are deleted from object storage and unlinked from
// their arrivals (which stay); revoked face mappings go after their retention; active
// faces and recent data stay.
func TestPurgeExpiredBiometrics(t *testing.T) {
	f := setup(t, true)
	ctx := context.Background()
	m, _ := f.member("U1", "active")
	f.exec(`INSERT INTO face_consents (id, member_id, granted_at, notice_version) VALUES (gen_random_uuid(), $1, $2, 'v1')`, m, day1)
	f.exec(`INSERT INTO member_faces (face_id, member_id, consent_at) VALUES ('F-1', $1, now())`, m)
	old, _ := f.recognize("F-1", day1, []byte("old face"))
	recent, _ := f.recognize("F-1", day1.Add(40*24*time.Hour), []byte("recent face"))
	if old == nil || recent == nil || old.SnapshotKey == "" {
		t.Fatalf("set-up: %+v %+v", old, recent)
	}
	other, _ := f.member("U2", "active")
	f.exec(`INSERT INTO member_faces (face_id, member_id, consent_at, revoked_at) VALUES
		('F-REVOKED-LONG-AGO', $1, $2, $3), ('F-REVOKED-LATELY', $1, $2, $4)`,
		other, day1, day1.Add(time.Hour), day1.Add(40*24*time.Hour))

	now := day1.Add(45 * 24 * time.Hour)
	p, err := f.svc.PurgeExpired(ctx, now)
	if err != nil || p.Snapshots != 1 || p.Faces != 1 {
		t.Fatalf("purge = %+v, %v; want 1 snapshot and 1 face", p, err)
	}
	if _, err := f.objects.Get(ctx, old.SnapshotKey); !errors.Is(err, storage.ErrObjectNotFound) {
		t.Errorf("old snapshot still stored: %v", err)
	}
	if r, err := f.objects.Get(ctx, recent.SnapshotKey); err != nil {
		t.Errorf("recent snapshot deleted: %v", err)
	} else {
		_ = r.Close()
	}
	var arrivalsLeft, linked, faces int
	if err := f.db.Pool.QueryRow(ctx, `SELECT count(*), count(snapshot_key) FROM arrivals`).Scan(&arrivalsLeft, &linked); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Pool.QueryRow(ctx, `SELECT count(*) FROM member_faces`).Scan(&faces); err != nil {
		t.Fatal(err)
	}
	if arrivalsLeft != 2 || linked != 1 || faces != 2 {
		t.Errorf("after the purge: %d arrivals, %d with snapshots, %d faces; want 2, 1, 2", arrivalsLeft, linked, faces)
	}
	if again, err := f.svc.PurgeExpired(ctx, now); err != nil || again.Faces+again.Snapshots != 0 {
		t.Errorf("second purge = %+v, %v; want nothing", again, err)
	}

	// Withdrawing consent: the member's recent snapshot goes at the next purge too.
	f.exec(`UPDATE face_consents SET revoked_at = $2 WHERE member_id = $1`, m, now)
	if p, err := f.svc.PurgeExpired(ctx, now); err != nil || p.Snapshots != 1 {
		t.Fatalf("purge after the consent was withdrawn = %+v, %v; want the recent snapshot", p, err)
	}
	if _, err := f.objects.Get(ctx, recent.SnapshotKey); !errors.Is(err, storage.ErrObjectNotFound) {
		t.Errorf("snapshot of a member who withdrew consent still stored: %v", err)
	}
}
