// Package arrivals is who comes to the mall: card-reader visits (with the daily sign-in
// points award) and face-camera recognitions of consenting members (VIP arrivals are
// announced to the mall's staff in real time, at most once per member per interval).
package arrivals

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
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

// ErrNoMall: the device's mall does not exist.
var ErrNoMall = errs.New(errs.KindInternal, "NO_MALL", "the device's mall does not exist")

// Deps are what the arrivals context is built from; every one is required.
type Deps struct {
	DB       *storage.DB
	Objects  storage.Objects   // arrival snapshots
	Redis    *storage.Redis    // real-time VIP notifications
	Ledger   *ledger.Service   // the sign-in points
	Bookings *bookings.Service // lounge readers redeem the member's booking
	Org      *org.Service      // malls: group, time zone, access
	Config   Config
}

// Service is the arrivals context.
type Service struct {
	db       *storage.DB
	objects  storage.Objects
	redis    *storage.Redis
	ledger   *ledger.Service
	bookings *bookings.Service
	org      *org.Service
	cfg      Config
}

// New returns the service; it panics when a dependency is missing.
func New(d Deps) *Service {
	service.MustDeps("arrivals", d)
	return &Service{db: d.DB, objects: d.Objects, redis: d.Redis, ledger: d.Ledger, bookings: d.Bookings, org: d.Org,
		cfg: d.Config}
}

// VIPChannel is the Redis pub/sub channel of a mall's VIP arrivals.
func VIPChannel(r storage.Redis, mallID string) string { return r.Key("mall", mallID, "vip-arrivals") }
