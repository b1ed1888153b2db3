// Package rosters is who is on duty when (排班): shifts of a mall's property-services
// staff per role, edited by supervisors and admins. Work-order dispatch assigns only to
// technicians on shift (in a mall that keeps a roster for the role), and patrol rounds
// go to the guard on shift at their start.
//
// A shift is at most 24 hours; one person's shifts never overlap (checked under a
// per-person transaction lock, so two supervisors adding at once cannot both win).
package rosters

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/rosters/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the context is built from; all are required.
type Deps struct {
	DB  *storage.DB
	Org *org.Service // malls (access) and who holds a role at a mall
	Now func() time.Time
}

// Service is the rosters context.
type Service struct {
	db  *storage.DB
	org *org.Service
	now func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("rosters", d)
	return &Service{db: d.DB, org: d.Org, now: d.Now}
}

// Roles a shift may be of.
var Roles = []auth.Role{auth.RoleMaintenance, auth.RoleSecurity, auth.RoleServiceDesk, auth.RoleSupervisor}

// editRoles add and remove shifts; readRoles see the roster.
var (
	editRoles = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor}
	readRoles = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor, auth.RoleServiceDesk, auth.RoleMaintenance,
		auth.RoleSecurity}
)

// Sentinel errors.
var (
	ErrOverlap = errs.New(errs.KindUser, "SHIFT_OVERLAPS", "the staff member has another shift at that time")
	ErrNotRole = errs.New(errs.KindUser, "SHIFT_ROLE_NOT_HELD", "the staff member does not hold that role at the mall")
)

// Shift is one person's duty at a mall in a role.
type Shift struct {
	ID        uuid.UUID
	MallID    uuid.UUID
	StaffID   uuid.UUID
	Role      auth.Role
	StartsAt  time.Time
	EndsAt    time.Time
	Note      string
	CreatedBy string
}

func shiftOf(r queries.StaffShift) Shift {
	return Shift{ID: r.ID, MallID: r.MallID, StaffID: r.StaffID, Role: auth.Role(r.Role), StartsAt: r.StartsAt,
		EndsAt: r.EndsAt, Note: r.Note, CreatedBy: r.CreatedBy}
}

// mallFor reads a mall and checks the caller holds one of roles over it (an unknown
// mall is FORBIDDEN).
func (s *Service) mallFor(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

func (sh Shift) validate() error {
	switch {
	case !slices.Contains(Roles, sh.Role):
		return errs.Invalid("input.role", "a shift is of MAINTENANCE, SECURITY, SERVICE_DESK or SUPERVISOR")
	case !sh.EndsAt.After(sh.StartsAt) || sh.EndsAt.Sub(sh.StartsAt) > 24*time.Hour:
		return errs.Invalid("input.endsAt", "a shift ends after it starts, within 24 hours")
	case utf8.RuneCountInString(sh.Note) > 500:
		return errs.Invalid("input.note", "a note of at most 500 characters")
	}
	return nil
}

// AddShift puts a staff member who holds the role at the mall on duty (supervisor or
// admin of the mall). A shift overlapping another of the same person is SHIFT_OVERLAPS.
func (s *Service) AddShift(ctx context.Context, sh Shift) (Shift, error) {
	p, err := s.mallFor(ctx, sh.MallID, editRoles...)
	if err != nil {
		return Shift{}, err
	}
	sh.Note = strings.TrimSpace(sh.Note)
	if err := sh.validate(); err != nil {
		return Shift{}, err
	}
	sh.ID, sh.CreatedBy = service.NewID(), access.Actor(ctx)
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		holders, err := s.org.StaffWithRolesAt(ctx, tx, p, sh.Role)
		if err != nil {
			return err
		}
		if !slices.Contains(holders, sh.StaffID) {
			return ErrNotRole.At("input", "staffId")
		}
		q := queries.New(tx)
		if err := q.LockStaffShifts(ctx, sh.StaffID.String()); err != nil {
			return err
		}
		n, err := q.InsertShift(ctx, queries.InsertShiftParams{ID: sh.ID, GroupID: p.GroupID, MallID: p.MallID,
			StaffID: sh.StaffID, Role: string(sh.Role), StartsAt: sh.StartsAt, EndsAt: sh.EndsAt, Note: sh.Note,
			CreatedBy: sh.CreatedBy, CreatedAt: s.now()})
		if err == nil && n == 0 {
			err = ErrOverlap.At("input", "startsAt")
		}
		return err
	})
	return sh, err
}

// RemoveShift deletes a shift (supervisor or admin of its mall; anyone else: NOT_FOUND).
func (s *Service) RemoveShift(ctx context.Context, id uuid.UUID) error {
	if _, err := access.Viewer(ctx); err != nil {
		return err
	}
	row, err := queries.New(s.db.Pool).Shift(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return errs.ErrNotFound.Msgf("shift not found")
	} else if err != nil {
		return err
	}
	if _, err := s.mallFor(ctx, row.MallID, editRoles...); err != nil {
		return errs.ErrNotFound.Msgf("shift not found")
	}
	_, err = queries.New(s.db.Pool).DeleteShift(ctx, id)
	return err
}

// Shifts lists a mall's shifts overlapping [from, to), by start (property-services
// staff of the mall). At most 31 days at once.
func (s *Service) Shifts(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]Shift, error) {
	p, err := s.mallFor(ctx, mallID, readRoles...)
	if err != nil {
		return nil, err
	}
	if !to.After(from) || to.Sub(from) > 31*24*time.Hour {
		return nil, errs.Invalid("to", "a range of up to 31 days")
	}
	rows, err := queries.New(s.db.Pool).ShiftsOfMall(ctx, queries.ShiftsOfMallParams{GroupID: p.GroupID,
		MallID: p.MallID, FromAt: from, ToAt: to})
	out := make([]Shift, len(rows))
	for i, r := range rows {
		out[i] = shiftOf(r)
	}
	return out, err
}

// Duty is who is on shift in a role at a mall at an instant.
type Duty struct {
	// Rostered: the mall keeps a roster for the role (any shift of it). A mall that
	// does not treats every holder of the role as available.
	Rostered bool
	// Shifts covering the instant, earliest start first.
	Shifts []Shift
}

// OnDuty reads who is on shift in role at the mall at the instant, through q (a
// transaction of the caller's, or nil for the pool). No viewer: dispatch and the patrol
// job call it.
func (s *Service) OnDuty(ctx context.Context, q storage.Querier, p org.Place, role auth.Role, at time.Time) (Duty, error) {
	if q == nil {
		q = s.db.Pool
	}
	qs := queries.New(q)
	rostered, err := qs.Rostered(ctx, queries.RosteredParams{GroupID: p.GroupID, MallID: p.MallID, Role: string(role)})
	if err != nil || !rostered {
		return Duty{}, err
	}
	rows, err := qs.ShiftsCovering(ctx, queries.ShiftsCoveringParams{GroupID: p.GroupID, MallID: p.MallID,
		Role: string(role), At: at})
	d := Duty{Rostered: true, Shifts: make([]Shift, len(rows))}
	for i, r := range rows {
		d.Shifts[i] = shiftOf(r)
	}
	return d, err
}

// Has reports whether staff is on one of d's shifts.
func (d Duty) Has(staff uuid.UUID) bool {
	return slices.ContainsFunc(d.Shifts, func(sh Shift) bool { return sh.StaffID == staff })
}
