package org

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org/internal/queries"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// Staff is a staff account of the mall or of a merchant.
type Staff struct {
	ID          uuid.UUID
	Username    string
	DisplayName string
	Status      StaffStatus
	CreatedAt   time.Time
	LastLoginAt *time.Time
	Grants      []auth.Grant
}

// StaffCredentials is what a password login needs.
type StaffCredentials struct {
	ID           uuid.UUID
	PasswordHash string
	Status       StaffStatus
}

// Credentials returns the login data of username (storage.ErrNotFound if unknown).
func (s *Service) Credentials(ctx context.Context, username string) (StaffCredentials, error) {
	r, err := queries.New(s.db.Pool).StaffCredentials(ctx, strings.ToLower(username))
	return StaffCredentials{ID: r.ID, PasswordHash: r.PasswordHash, Status: StaffStatus(r.Status)}, storage.MapError(err)
}

// TouchLogin records a successful login.
func (s *Service) TouchLogin(ctx context.Context, id uuid.UUID) error {
	return queries.New(s.db.Pool).TouchLogin(ctx, id)
}

// Grants returns the roles of staff id.
func (s *Service) Grants(ctx context.Context, id uuid.UUID) ([]auth.Grant, error) {
	rows, err := queries.New(s.db.Pool).StaffGrants(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]auth.Grant, len(rows))
	for i, r := range rows {
		out[i] = auth.Grant{Role: auth.Role(r.Role), Level: auth.Level(r.ScopeLevel), ScopeID: r.ScopeID}
	}
	return out, nil
}

// StaffMember returns a staff account: the account itself, or admins whose scope covers
// one of its grants.
func (s *Service) StaffMember(ctx context.Context, id uuid.UUID) (Staff, error) {
	st, err := s.staff(ctx, id)
	if err != nil {
		return st, err
	}
	return st, s.canManageStaff(ctx, st)
}

func (s *Service) staff(ctx context.Context, id uuid.UUID) (Staff, error) {
	r, err := queries.New(s.db.Pool).StaffByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Staff{}, errs.ErrNotFound.Msgf("staff not found")
	}
	if err != nil {
		return Staff{}, err
	}
	st := Staff{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Status: StaffStatus(r.Status),
		CreatedAt: r.CreatedAt, LastLoginAt: r.LastLoginAt}
	st.Grants, err = s.Grants(ctx, id)
	return st, err
}

func (s *Service) canManageStaff(ctx context.Context, st Staff) error {
	v, err := access.Viewer(ctx)
	if err != nil {
		return err
	}
	if v.IsStaff() && v.ID == st.ID {
		return nil
	}
	for _, g := range st.Grants {
		ref, err := s.refOf(ctx, g.Level, g.ScopeID)
		if err != nil {
			return err
		}
		if access.At(ctx, ref, auth.RoleAdmin) == nil {
			return nil
		}
	}
	return errs.ErrForbidden
}

// StaffList lists the staff accounts the viewer may manage, oldest first.
func (s *Service) StaffList(ctx context.Context, p page.Request) (page.Result[Staff], error) {
	if _, err := access.Staff(ctx, auth.RoleAdmin); err != nil {
		return page.Result[Staff]{}, err
	}
	var out []Staff
	after := p.After
	for len(out) <= p.First { // scan forward until the page is full or the table ends
		ids, err := queries.New(s.db.Pool).StaffIDsAfter(ctx, after, 200)
		if err != nil || len(ids) == 0 {
			return page.Cut(p, out), err
		}
		for _, id := range ids {
			if st, err := s.StaffMember(ctx, id); err == nil {
				out = append(out, st)
			}
		}
		after = ids[len(ids)-1]
	}
	return page.Cut(p, out), nil
}

// CreateStaffInput is a new staff account with its grants.
type CreateStaffInput struct {
	Username    string
	DisplayName string
	Password    string
	Grants      []auth.Grant
}

// CreateStaff adds an account; the viewer must be an admin over every grant's scope.
func (s *Service) CreateStaff(ctx context.Context, in CreateStaffInput) (Staff, error) {
	if err := validStaff(in); err != nil {
		return Staff{}, err
	}
	for _, g := range in.Grants {
		ref, err := s.refOf(ctx, g.Level, g.ScopeID)
		if errors.Is(err, storage.ErrNotFound) {
			return Staff{}, errs.Invalid("input.grants", "no %s with id %s", g.Level, g.ScopeID)
		}
		if err != nil {
			return Staff{}, err
		}
		if err := access.At(ctx, ref, auth.RoleAdmin); err != nil {
			return Staff{}, err
		}
	}
	id, err := s.insertStaff(ctx, in)
	if err != nil {
		return Staff{}, err
	}
	return s.staff(ctx, id)
}

func (s *Service) insertStaff(ctx context.Context, in CreateStaffInput) (uuid.UUID, error) {
	hash, err := s.passwords.Hash(in.Password)
	if err != nil {
		return uuid.Nil, errs.Invalid("input.password", "%v", err)
	}
	id := service.NewID()
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		err := q.InsertStaff(ctx, queries.InsertStaffParams{ID: id, Username: strings.ToLower(in.Username),
			DisplayName: in.DisplayName, PasswordHash: hash})
		if errors.Is(storage.MapError(err), storage.ErrConflict) {
			return ErrUsernameTaken.At("input", "username")
		}
		for _, g := range in.Grants {
			if err != nil {
				break
			}
			err = q.InsertStaffRole(ctx, queries.InsertStaffRoleParams{StaffID: id, Role: string(g.Role),
				ScopeLevel: string(g.Level), ScopeID: g.ScopeID})
		}
		return err
	})
	return id, err
}

func validStaff(in CreateStaffInput) error {
	if !usernameRE.MatchString(strings.ToLower(in.Username)) {
		return errs.Invalid("input.username", "username must be 3 to 64 of a-z, 0-9, '.', '_' or '-'")
	}
	if len(in.Password) < 10 || len(in.Password) > 72 {
		return errs.Invalid("input.password", "password must be 10 to 72 bytes")
	}
	if len(in.Grants) == 0 {
		return errs.Invalid("input.grants", "at least one role is required")
	}
	for _, g := range in.Grants {
		if g.Role.MerchantScoped() != (g.Level == auth.LevelMerchant) {
			return errs.Invalid("input.grants", "merchant staff and tenant admins, and only they, are scoped to a merchant")
		}
	}
	return nil
}

// StaffWithRolesAt lists the active staff holding one of roles with a grant covering
// place p's mall, through q (nil: the pool; work-order dispatch picks technicians from it). No access check: the
// caller has authorized the operation that needs it.
func (s *Service) StaffWithRolesAt(ctx context.Context, q storage.Querier, p Place, roles ...auth.Role) ([]uuid.UUID, error) {
	if q == nil {
		q = s.db.Pool
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return queries.New(q).ActiveStaffWithRolesAt(ctx, queries.ActiveStaffWithRolesAtParams{Roles: names,
		MallID: p.MallID, RegionID: p.RegionID, GroupID: p.GroupID})
}
