package leasing

import (
	"context"
	"github.com/atrium-mall/atrium/service/notices"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the leasing context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service     // malls and merchants: scope, time zone, tenants created with a contract
	Objects storage.Objects  // signed contract PDFs (presigned upload)
	Notices *notices.Service // leasing staff's alerts: contracts expiring, units long vacant
	Now     func() time.Time
}

// Service is the leasing context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	objects storage.Objects
	notices *notices.Service
	now     func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("leasing", d)
	return &Service{db: d.DB, org: d.Org, objects: d.Objects, notices: d.Notices, now: d.Now}
}

// Sentinel errors of the leasing context.
var (
	ErrUnitAlreadyLeased = errs.New(errs.KindUser, "UNIT_ALREADY_LEASED", "the unit is let to another contract on some of these days")
	ErrUnitCodeTaken     = errs.New(errs.KindUser, "UNIT_CODE_TAKEN", "the mall already has a unit with this code")
	ErrSelfApproval      = errs.New(errs.KindUser, "SELF_APPROVAL", "nobody approves a contract they created or submitted")
	ErrLimitExceeded     = errs.New(errs.KindUser, "APPROVAL_LIMIT_EXCEEDED", "the amount is above the approver's limit: it needs the next level")
	ErrAlreadyApproved   = errs.New(errs.KindUser, "ALREADY_APPROVED_BY_YOU", "you already approved this version")
	ErrBadTransition     = errs.New(errs.KindUser, "CONTRACT_STATUS", "the contract is not in a status that allows this")
	ErrNothingOpen       = errs.New(errs.KindUser, "NO_OPEN_VERSION", "the contract has no version waiting for this step")
	ErrAmendmentOpen     = errs.New(errs.KindUser, "AMENDMENT_OPEN", "the contract already has an open amendment")
	ErrNotUploaded       = errs.New(errs.KindUser, "NOT_UPLOADED", "the signed contract has not been uploaded")
	ErrInvalidTerms      = errs.New(errs.KindUser, "INVALID_TERMS", "the terms are not valid")
)

// Roles.
var (
	// staffRoles read everything of a mall.
	staffRoles = []auth.Role{auth.RoleAdmin, auth.RoleLeasing, auth.RoleFinance}
	// tenantRoles read their merchant's own contracts.
	tenantRoles = []auth.Role{auth.RoleTenantAdmin, auth.RoleMerchantStaff}
	// prepareRoles create units and contracts, submit, sign and terminate.
	prepareRoles = []auth.Role{auth.RoleAdmin, auth.RoleLeasing}
	// approveRoles approve and reject, each up to its limit.
	approveRoles = []auth.Role{auth.RoleFinance, auth.RoleAdmin}
	readRoles    = append(append([]auth.Role{}, staffRoles...), tenantRoles...)
)

// mallAt reads a mall and checks the caller holds one of roles over it (an unknown mall
// is FORBIDDEN, so ids are not probed).
func (s *Service) mallAt(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// today is the mall's civil date now.
func (s *Service) today(p org.Place) schedule.Date {
	return schedule.DateOf(s.now().In(p.Loc))
}

// dateOf converts a stored date (midnight UTC) to a civil date.
func dateOf(t time.Time) schedule.Date { return schedule.D(t.Year(), t.Month(), t.Day()) }

// timeOf converts a civil date to the form dates are stored in.
func timeOf(d schedule.Date) time.Time { return d.In(time.UTC) }

// viewerID is the calling staff member's id (uuid.Nil for a job).
func viewerID(ctx context.Context) uuid.UUID {
	if v := auth.ViewerFrom(ctx); v != nil {
		return v.ID
	}
	return uuid.Nil
}
