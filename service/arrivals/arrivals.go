// Package arrivals is who comes to the mall: card-reader visits (with the daily sign-in
// points award) and face-camera recognitions of consenting members (VIP arrivals are
// announced to the mall's staff in real time, at most once per member per interval).
package arrivals

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/storage"
)

// Config holds the rules.
type Config struct {
	// A member is a VIP when their loyalty tier's code is in VIPTierCodes or one of
	// their tags is in VIPTags.
	VIPTierCodes []string
	VIPTags      []string
	// NoticeInterval: at most one VIP notification per member and mall per interval.
	NoticeInterval time.Duration
	// SignInPoints awarded for the first visit of a business day (0: none).
	SignInPoints decimal.Decimal
	// SignInValidity is how long sign-in points stay valid.
	SignInValidity time.Duration
	// FaceRetention is how long a revoked face id mapping is kept (for the audit of the
	// revocation) before PurgeExpired deletes it.
	FaceRetention time.Duration
	// SnapshotRetention is how long arrival snapshots (images of faces) are kept.
	SnapshotRetention time.Duration
	// FaceNoticeVersion is the current version of the face-recognition privacy notice;
	// when set, consent is accepted only to it (FACE_NOTICE_OUTDATED otherwise), so a
	// stale client cannot replace a consent with one to an older notice.
	FaceNoticeVersion string
}

// DefaultConfig is the default rule set.
func DefaultConfig() Config {
	return Config{VIPTierCodes: []string{"gold", "platinum", "diamond"}, VIPTags: []string{"vip"},
		NoticeInterval: 30 * time.Minute, SignInPoints: decimal.NewFromInt(10), SignInValidity: 365 * 24 * time.Hour,
		FaceRetention: 30 * 24 * time.Hour, SnapshotRetention: 30 * 24 * time.Hour}
}

// Errors of the arrivals context.
var (
	ErrNoMall     = errs.New(errs.KindInternal, "NO_MALL", "the device's mall does not exist")
	ErrNoRealtime = errs.New(errs.KindInternal, "NO_REALTIME", "real-time notifications are not configured")
)

// Service is the arrivals context.
type Service struct {
	db       *storage.DB
	objects  storage.Objects
	redis    *storage.Redis
	ledger   *ledger.Service
	bookings *bookings.Service // lounge readers (WithBookings)
	cfg      Config
}

// New returns the service. objects stores snapshots; redis (optional) carries the
// real-time VIP notifications; ledger (optional) posts the sign-in points — without it
// only the award row is recorded.
func New(db *storage.DB, objects storage.Objects, redis *storage.Redis, l *ledger.Service, cfg Config) *Service {
	return &Service{db: db, objects: objects, redis: redis, ledger: l, cfg: cfg}
}

// VIPChannel is the Redis pub/sub channel of a mall's VIP arrivals.
func VIPChannel(r storage.Redis, mallID string) string { return r.Key("mall", mallID, "vip-arrivals") }
