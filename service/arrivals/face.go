package arrivals

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
)

// Recognition is a face seen by a camera.
type Recognition struct {
	MallID      uuid.UUID
	DeviceID    string
	Entrance    string
	EventID     string
	FaceID      string // empty: unknown face
	At          time.Time
	Snapshot    []byte // image bytes, if sent inline
	SnapshotURL string // the camera's URL, if sent by reference
}

// Arrival is a recorded arrival.
type Arrival struct {
	ID          uuid.UUID `json:"id"`
	MallID      uuid.UUID `json:"mallId"`
	MemberID    uuid.UUID `json:"memberId"`
	Entrance    string    `json:"entrance"`
	At          time.Time `json:"at"`
	VIP         bool      `json:"vip"`
	Notified    bool      `json:"notified"`
	SnapshotKey string    `json:"snapshotKey,omitempty"`
	SnapshotURL string    `json:"snapshotUrl,omitempty"`
}

// RecognizeTx records the arrival of a consenting member inside tx; an unknown face
// (or a member without consent, or a member of another group than the camera's mall:
// members and their data never cross groups) stores nothing and returns nil. A face is active
// (revoked_at IS NULL) only under an active consent: EnrolFace requires one, and
// RevokeFaceConsent revokes the consent and every face of the member in one
// transaction (consent.go). A VIP arrival is
// announced, at most once per member and mall per NoticeInterval (enforced by a
// conditional upsert, atomic under concurrency); the returned function publishes the
// announcement and must run after the commit.
func (s *Service) RecognizeTx(ctx context.Context, tx pgx.Tx, in Recognition) (*Arrival, func(context.Context), error) {
	if in.FaceID == "" {
		return nil, nil, nil
	}
	var member uuid.UUID
	var vip bool
	err := tx.QueryRow(ctx, `SELECT m.id, (m.tags && $2::text[]) OR coalesce(t.code = ANY($3::text[]), false)
		FROM member_faces f JOIN members m ON m.id = f.member_id LEFT JOIN loyalty_tiers t ON t.id = m.tier_id
		WHERE f.face_id = $1 AND f.revoked_at IS NULL AND m.status = 'active'
			AND m.group_id = (SELECT group_id FROM malls WHERE id = $4)`,
		in.FaceID, s.cfg.VIPTags, s.cfg.VIPTierCodes, in.MallID).Scan(&member, &vip)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	a := &Arrival{ID: service.NewID(), MallID: in.MallID, MemberID: member, Entrance: in.Entrance, At: in.At, VIP: vip,
		SnapshotURL: in.SnapshotURL}
	if len(in.Snapshot) > 0 {
		a.SnapshotKey = fmt.Sprintf("arrivals/%s/%s/%s.jpg", in.MallID, in.DeviceID, in.EventID)
		if err := s.objects.Put(ctx, a.SnapshotKey, bytes.NewReader(in.Snapshot), int64(len(in.Snapshot)),
			http.DetectContentType(in.Snapshot)); err != nil {
			return nil, nil, fmt.Errorf("store snapshot: %w", err)
		}
	}
	if vip {
		if a.Notified, err = s.claimNotice(ctx, tx, in.MallID, member, in.At); err != nil {
			return nil, nil, err
		}
	}
	_, err = tx.Exec(ctx, `INSERT INTO arrivals (id, mall_id, device_id, member_id, entrance, at, vip, notified, snapshot_key, snapshot_url)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nullif($9, ''), nullif($10, ''))`, a.ID, a.MallID, in.DeviceID, member,
		a.Entrance, a.At, a.VIP, a.Notified, a.SnapshotKey, a.SnapshotURL)
	if err != nil || !a.Notified {
		return a, nil, err
	}
	return a, s.publish(*a), nil
}

// claimNotice reports whether this arrival may notify: true when the member's last
// notice in the mall is at least NoticeInterval before at (or there is none).
func (s *Service) claimNotice(ctx context.Context, tx pgx.Tx, mall, member uuid.UUID, at time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO vip_notices (mall_id, member_id, last_at) VALUES ($1, $2, $3)
		ON CONFLICT (mall_id, member_id) DO UPDATE SET last_at = EXCLUDED.last_at
		WHERE vip_notices.last_at <= EXCLUDED.last_at - $4::interval`, mall, member, at, s.cfg.NoticeInterval)
	return tag.RowsAffected() == 1, err
}

// publish returns the after-commit announcement of a VIP arrival.
func (s *Service) publish(a Arrival) func(context.Context) {
	return func(ctx context.Context) {
		if s.redis == nil {
			return
		}
		b, _ := json.Marshal(a)
		_ = s.redis.Publish(ctx, VIPChannel(*s.redis, a.MallID.String()), b).Err()
	}
}
