// Package members is the members context: registration (mini-program, service desk,
// batch import), profiles, staff search, the rotating member code (会员码), card types
// and member cards with their audited life cycle (loss, freeze, reissue, transfer,
// cancel). Balances live in the ledger context, reached through the Ledger seam.
package members

import (
	"crypto/hmac"
	"crypto/sha256"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/storage"
)

// Config is the members context's settings, parsed once in main.
type Config struct {
	// CodeKey signs member codes (HMAC-SHA256); at least 32 bytes.
	CodeKey []byte
	// CodeTTL is how long a member code is accepted (default 60 s).
	CodeTTL time.Duration
	// PhotoUploadTTL is how long a presigned photo upload URL is valid (default 10 min).
	PhotoUploadTTL time.Duration
}

// Service is the members context.
type Service struct {
	db      *storage.DB
	objects storage.Objects
	wechat  *auth.WeChat
	ledger  Ledger
	cfg     Config
	now     func() time.Time
}

// Option customises a Service.
type Option func(*Service)

// WithClock injects the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLedger plugs in the ledger that moves and refunds card balances on reissue and
// cancel. Without it, card operations change only the cards.
func WithLedger(l Ledger) Option { return func(s *Service) { s.ledger = l } }

// New returns the members service.
func New(db *storage.DB, objects storage.Objects, wechat *auth.WeChat, cfg Config, opts ...Option) *Service {
	if cfg.CodeTTL <= 0 {
		cfg.CodeTTL = 60 * time.Second
	}
	if cfg.PhotoUploadTTL <= 0 {
		cfg.PhotoUploadTTL = 10 * time.Minute
	}
	s := &Service{db: db, objects: objects, wechat: wechat, cfg: cfg, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// DeriveCodeKey derives the member-code signing key from the server's secret, so a
// deployment needs no extra secret (and rotating the secret rotates the codes).
func DeriveCodeKey(secret []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("atrium member code v1"))
	return h.Sum(nil)
}
