// Package org is the organisation: group → region → mall → merchant, and the scope
// checks every other context uses to keep a mall's staff inside their mall.
package org

import (
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
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

// MerchantStatus is whether a merchant trades. No operation of org changes it yet
// (so no transition table): merchants are created active.
type MerchantStatus string

// The merchant statuses.
const (
	MerchantActive    MerchantStatus = "active"
	MerchantSuspended MerchantStatus = "suspended"
	MerchantClosed    MerchantStatus = "closed"
)

// StaffStatus is whether a staff account may log in. No operation of org changes it
// yet (so no transition table): accounts are created active.
type StaffStatus string

// The staff statuses.
const (
	StaffActive   StaffStatus = "active"
	StaffDisabled StaffStatus = "disabled"
)

// Merchant is a tenant of a mall, or an alliance merchant outside it (联盟商家).
type Merchant struct {
	ID        uuid.UUID
	MallID    uuid.UUID
	Code      string
	Name      string
	Category  string
	Kind      string // tenant | alliance
	Status    MerchantStatus
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

// Deps are what the org context is built from, all required.
type Deps struct {
	DB *storage.DB
	// Passwords hashes and checks staff passwords.
	Passwords *auth.Passwords
	// Zones resolves malls' time zones, falling back to the deployment's
	// ATRIUM_TIMEZONE (calendar.NewZones; a Zones without a default is refused).
	Zones calendar.Zones
}

// New returns the org service.
func New(d Deps) *Service {
	service.MustDeps("org", d)
	if d.Zones.Default == nil {
		panic("org.New: Deps.Zones is required (calendar.NewZones)")
	}
	return &Service{db: d.DB, passwords: d.Passwords, zones: d.Zones}
}

// Zones is the deployment's time zone resolver (one fallback: ATRIUM_TIMEZONE).
func (s *Service) Zones() calendar.Zones { return s.zones }

// Passwords is the hasher staff passwords are checked with.
func (s *Service) Passwords() *auth.Passwords { return s.passwords }
