// Package members is the members context: registration (mini-program, service desk,
// batch import), profiles, staff search, the rotating member code (会员码), card types
// and member cards with their audited life cycle (loss, freeze, reissue, transfer,
// cancel). Balances live in the ledger context, reached through the Ledger seam.
// Its SQL lives in internal/queries (sqlc); other contexts use the reads and writes
// exported in exports.go.
package members

import (
	"crypto/hmac"
	"crypto/sha256"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/org"
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

// Deps are the members context's dependencies, all required.
type Deps struct {
	DB      *storage.DB
	Objects storage.Objects // member photos and import files
	WeChat  *auth.WeChat    // confirms a mini-program shopper's phone number
	Org     *org.Service    // malls: where a member registers, which staff serve it
	Ledger  Ledger          // moves and refunds card balances on reissue and cancel
	Now     func() time.Time
	Config  Config
}

// Service is the members context.
type Service struct {
	db      *storage.DB
	objects storage.Objects
	wechat  *auth.WeChat
	org     *org.Service
	ledger  Ledger
	cfg     Config
	now     func() time.Time
}

// New returns the members service; it panics when a dependency is missing.
func New(d Deps) *Service {
	service.MustDeps("members", d)
	cfg := d.Config
	if cfg.CodeTTL <= 0 {
		cfg.CodeTTL = 60 * time.Second
	}
	if cfg.PhotoUploadTTL <= 0 {
		cfg.PhotoUploadTTL = 10 * time.Minute
	}
	return &Service{db: d.DB, objects: d.Objects, wechat: d.WeChat, org: d.Org, ledger: d.Ledger, cfg: cfg, now: d.Now}
}

// DeriveCodeKey derives the member-code signing key from the server's secret, so a
// deployment needs no extra secret (and rotating the secret rotates the codes).
func DeriveCodeKey(secret []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("atrium member code v1"))
	return h.Sum(nil)
}
