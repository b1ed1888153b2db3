// Package org is the organisation: group → region → mall → merchant, and the scope
// checks every other context uses to keep a mall's staff inside their mall.
package org

import (
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Errors of the org context.
var (
	ErrCodeTaken     = errs.New(errs.KindUser, "CODE_TAKEN", "code is already used")
	ErrUsernameTaken = errs.New(errs.KindUser, "USERNAME_TAKEN", "username is already used")
)

// Group is a mall group (集团).
type Group struct {
	ID        uuid.UUID
	Code      string
	Name      string
	CreatedAt time.Time
}

// Region is a region (大区) of a group.
type Region struct {
	ID        uuid.UUID
	GroupID   uuid.UUID
	Name      string
	CreatedAt time.Time
}

// Mall is a shopping mall (购物中心).
type Mall struct {
	ID        uuid.UUID
	GroupID   uuid.UUID
	RegionID  uuid.UUID // uuid.Nil when the mall is in no region
	Code      string
	Name      string
	TimeZone  string
	CreatedAt time.Time
}

// Ref places the mall in the organisation.
func (m Mall) Ref() auth.OrgRef {
	return auth.OrgRef{GroupID: m.GroupID, RegionID: m.RegionID, MallID: m.ID}
}

// Merchant is a tenant of a mall, or an alliance merchant outside it (联盟商家).
type Merchant struct {
	ID        uuid.UUID
	MallID    uuid.UUID
	Code      string
	Name      string
	Category  string
	Kind      string // tenant | alliance
	Status    string // active | suspended | closed
	CreatedAt time.Time
	ref       auth.OrgRef
}

// Ref places the merchant in the organisation.
func (m Merchant) Ref() auth.OrgRef { return m.ref }

// Service is the org context.
type Service struct {
	db        *storage.DB
	passwords *auth.Passwords
	zones     calendar.Zones
}

// New returns the org service (hashing passwords at the production cost; malls without
// a known time zone keep Asia/Shanghai until WithZones says otherwise).
func New(db *storage.DB) *Service {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		shanghai = time.FixedZone("CST", 8*3600)
	}
	return &Service{db: db, passwords: auth.NewPasswords(0), zones: calendar.NewZones(shanghai)}
}

// WithZones sets the deployment's default business time zone (ATRIUM_TIMEZONE).
func (s *Service) WithZones(z calendar.Zones) *Service {
	s.zones = z
	return s
}

// Zones is the deployment's time zone resolver (one fallback: ATRIUM_TIMEZONE).
func (s *Service) Zones() calendar.Zones { return s.zones }

// WithPasswords uses p to hash staff passwords.
func (s *Service) WithPasswords(p *auth.Passwords) *Service {
	s.passwords = p
	return s
}

// Passwords is the hasher staff passwords are checked with.
func (s *Service) Passwords() *auth.Passwords { return s.passwords }
