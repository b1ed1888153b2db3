package arrivals

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

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
		tag, err := s.db.Pool.Exec(ctx, `DELETE FROM member_faces WHERE revoked_at < $1`, now.Add(-s.cfg.FaceRetention))
		if err != nil {
			return p, fmt.Errorf("purge faces: %w", err)
		}
		p.Faces = tag.RowsAffected()
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
	rows, err := s.db.Pool.Query(ctx, `SELECT a.id, coalesce(a.snapshot_key, '') FROM arrivals a
		WHERE (a.snapshot_key IS NOT NULL OR a.snapshot_url IS NOT NULL)
			AND (a.at < $1 OR NOT EXISTS (SELECT 1 FROM face_consents c WHERE c.member_id = a.member_id
				AND c.revoked_at IS NULL))
		ORDER BY a.at LIMIT $2`, cutoff, limit)
	if err != nil {
		return 0, err
	}
	type snap struct {
		id  uuid.UUID
		key string
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (snap, error) {
		var x snap
		return x, r.Scan(&x.id, &x.key)
	})
	if err != nil {
		return 0, err
	}
	var n int64
	for _, x := range list {
		if x.key != "" && s.objects != nil {
			if err := s.objects.Delete(ctx, x.key); err != nil && !errors.Is(err, storage.ErrObjectNotFound) {
				return n, fmt.Errorf("delete snapshot %s: %w", x.key, err)
			}
		}
		if _, err := s.db.Pool.Exec(ctx, `UPDATE arrivals SET snapshot_key = NULL, snapshot_url = NULL WHERE id = $1`,
			x.id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
