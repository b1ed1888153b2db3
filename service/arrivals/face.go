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
	"github.com/atrium-mall/atrium/service/arrivals/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
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
	q := queries.New(tx)
	who, err := s.recognize(ctx, tx, q, in)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	a := &Arrival{ID: service.NewID(), MallID: in.MallID, MemberID: who.MemberID, Entrance: in.Entrance, At: in.At,
		VIP: who.Vip, SnapshotURL: in.SnapshotURL}
	if a.SnapshotKey, err = s.storeSnapshot(ctx, in); err != nil {
		return nil, nil, err
	}
	if a.VIP {
		if a.Notified, err = s.claimNotice(ctx, q, in.MallID, a.MemberID, in.At); err != nil {
			return nil, nil, err
		}
	}
	err = q.InsertArrival(ctx, queries.InsertArrivalParams{ID: a.ID, MallID: a.MallID, DeviceID: in.DeviceID,
		MemberID: a.MemberID, Entrance: a.Entrance, At: a.At, Vip: a.VIP, Notified: a.Notified,
		SnapshotKey: a.SnapshotKey, SnapshotUrl: a.SnapshotURL})
	if err != nil || !a.Notified {
		return a, nil, err
	}
	return a, s.publish(*a), nil
}

// recognize finds the active, consenting member of the camera's mall's group the face
// belongs to (members and their data never cross groups), and whether they are a VIP;
// storage.ErrNotFound when there is none (or the mall is unknown).
func (s *Service) recognize(ctx context.Context, tx pgx.Tx, q *queries.Queries, in Recognition) (queries.RecognizeFaceRow, error) {
	mall, err := s.org.MallPlace(ctx, tx, in.MallID)
	if errors.Is(err, errs.ErrNotFound) {
		return queries.RecognizeFaceRow{}, storage.ErrNotFound
	} else if err != nil {
		return queries.RecognizeFaceRow{}, fmt.Errorf("load mall: %w", err)
	}
	who, err := q.RecognizeFace(ctx, queries.RecognizeFaceParams{VipTags: s.cfg.VIPTags, VipTierCodes: s.cfg.VIPTierCodes,
		FaceID: in.FaceID, MemberStatus: memberActive, GroupID: mall.GroupID})
	return who, storage.MapError(err)
}

// storeSnapshot stores an inline snapshot and returns its key ("" when none was sent).
func (s *Service) storeSnapshot(ctx context.Context, in Recognition) (string, error) {
	if len(in.Snapshot) == 0 {
		return "", nil
	}
	key := fmt.Sprintf("arrivals/%s/%s/%s.jpg", in.MallID, in.DeviceID, in.EventID)
	if err := s.objects.Put(ctx, key, bytes.NewReader(in.Snapshot), int64(len(in.Snapshot)),
		http.DetectContentType(in.Snapshot)); err != nil {
		return "", fmt.Errorf("store snapshot: %w", err)
	}
	return key, nil
}

// claimNotice reports whether this arrival may notify: true when the member's last
// notice in the mall is at least NoticeInterval before at (or there is none).
func (s *Service) claimNotice(ctx context.Context, q *queries.Queries, mall, member uuid.UUID, at time.Time) (bool, error) {
	n, err := q.ClaimVIPNotice(ctx, queries.ClaimVIPNoticeParams{MallID: mall, MemberID: member, LastAt: at,
		Interval: s.cfg.NoticeInterval})
	return n == 1, err
}

// publish returns the after-commit announcement of a VIP arrival.
func (s *Service) publish(a Arrival) func(context.Context) {
	return func(ctx context.Context) {
		b, _ := json.Marshal(a)
		_ = s.redis.Publish(ctx, VIPChannel(*s.redis, a.MallID.String()), b).Err()
	}
}
