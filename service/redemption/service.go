// Package redemption is the redemption code (核销码) of every coupon and booking: a
// compact Ed25519-signed token for the QR code plus a short numeric code for manual
// entry, exactly-once redemption by staff within their scope, voids within a window,
// offline verification and upload, and real-time events to the owning member.
//
// The redemption context owns the codes; what a code redeems (a coupon, a booking) is
// owned by its context, which registers a Subject with Handle so that redeeming and
// voiding change both in one transaction.
package redemption

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth/seal"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Subject is the context behind a kind of code. Its methods run inside the redemption
// transaction; they must fail with a business error, never leave the transaction aborted.
type Subject interface {
	// RedeemTx marks the subject used (coupon used, booking attended) at time at.
	RedeemTx(ctx context.Context, tx pgx.Tx, subjectID uuid.UUID, at time.Time) error
	// RestoreTx undoes RedeemTx after a void, giving its quota back.
	RestoreTx(ctx context.Context, tx pgx.Tx, subjectID uuid.UUID) error
}

// Config holds the redemption settings.
type Config struct {
	// VoidWindow is how long after a redemption staff may void it (default 30 minutes).
	VoidWindow time.Duration
	// Sealer seals the signing keys' private halves in the database (nil: stored plain,
	// for tests; a server always passes one made from its data key).
	Sealer *seal.Sealer
	// PreviousSealer opens keys sealed under the previous data key during a rotation;
	// they are sealed again under Sealer as they are read (or by ResealKeys).
	PreviousSealer *seal.Sealer
}

// Deps is what the redemption context is built from; every field is required.
type Deps struct {
	DB *storage.DB
	// Redis carries the members' real-time events (its client is required too).
	Redis storage.Redis
	// Org places malls and merchants (scope checks, the mall's time zone).
	Org *org.Service
	// Now is the clock (time.Now in production).
	Now func() time.Time
	// Config holds the void window and the signing keys' sealers.
	Config Config
}

// Service is the redemption context.
type Service struct {
	db       *storage.DB
	redis    storage.Redis
	org      *org.Service
	cfg      Config
	now      func() time.Time
	mu       sync.RWMutex
	subjects map[Kind]Subject
	keys     map[uint32]signingKey
	activeID uint32 // the active signing key's id as last read (activeKey), at activeAt
	activeAt time.Time
}

// New returns the redemption service built from d.
func New(d Deps) *Service {
	service.MustDeps("redemption", d)
	if d.Redis.UniversalClient == nil {
		panic("redemption.New: Deps.Redis is required")
	}
	if d.Config.VoidWindow == 0 {
		d.Config.VoidWindow = 30 * time.Minute
	}
	return &Service{db: d.DB, redis: d.Redis, org: d.Org, cfg: d.Config, now: d.Now,
		subjects: map[Kind]Subject{}, keys: map[uint32]signingKey{}}
}

// Handle registers the subject of kind; contexts call it from their constructors.
func (s *Service) Handle(kind Kind, sub Subject) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subjects[kind] = sub
}

func (s *Service) subject(kind Kind) Subject {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.subjects[kind]
}
