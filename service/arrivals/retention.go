package arrivals

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/arrivals/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Purged counts what PurgeExpired deleted.
type Purged struct {
	Faces     int64 // revoked face id mappings past FaceRetention
	Snapshots int64 // arrival snapshots past SnapshotRetention
}

// PurgeExpired deletes the biometric data Atrium no longer needs (PIPL: kept no longer
// than necessary): face id mappings revoked more than FaceRetention before now; arrival
// snapshots (the stored image and the camera's link) older than SnapshotRetention, and
// at once those of members whose consent has been withdrawn; the arrival itself stays as
// a visit record. Run it daily; it is idempotent.
func (s *Service) PurgeExpired(ctx context.Context, now time.Time) (Purged, error) {
	var p Purged
	if s.cfg.FaceRetention > 0 {
		n, err := queries.New(s.db.Pool).PurgeRevokedFaces(ctx, now.Add(-s.cfg.FaceRetention))
		if err != nil {
			return p, fmt.Errorf("purge faces: %w", err)
		}
		p.Faces = n
	}
	if s.cfg.SnapshotRetention <= 0 {
		return p, nil
	}
	for {
		n, err := s.purgeSnapshots(ctx, now.Add(-s.cfg.SnapshotRetention), 500)
		p.Snapshots += n
		if err != nil || n < 500 {
			return p, err
		}
	}
}

// purgeSnapshots deletes up to limit snapshots of arrivals before cutoff.
func (s *Service) purgeSnapshots(ctx context.Context, cutoff time.Time, limit int) (int64, error) {
	q := queries.New(s.db.Pool)
	list, err := q.SnapshotsToPurge(ctx, cutoff, int32(limit))
	if err != nil {
		return 0, fmt.Errorf("find snapshots: %w", err)
	}
	// Objects go one by one (the object store deletes one key per call); the rows they
	// leave are cleared with one UPDATE, also when a delete fails half-way, so a rerun
	// starts with the first snapshot not deleted.
	done := make([]uuid.UUID, 0, len(list))
	var delErr error
	for _, x := range list {
		if x.SnapshotKey != "" {
			err := s.objects.Delete(ctx, x.SnapshotKey)
			if err != nil && !errors.Is(err, storage.ErrObjectNotFound) {
				delErr = fmt.Errorf("delete snapshot %s: %w", x.SnapshotKey, err)
				break
			}
		}
		done = append(done, x.ID)
	}
	if len(done) > 0 {
		if err := q.ClearSnapshots(ctx, done); err != nil {
			return 0, errors.Join(delErr, fmt.Errorf("clear %d snapshots: %w", len(done), err))
		}
	}
	return int64(len(done)), delErr
}
