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
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// Staff is a staff account of the mall or of a merchant.
type Staff struct {
	ID          uuid.UUID
	Username    string
	DisplayName string
	Status      string
	CreatedAt   time.Time
	LastLoginAt *time.Time
	Grants      []auth.Grant
}

// StaffCredentials is what a password login needs.
type StaffCredentials struct {
	ID           uuid.UUID
	PasswordHash string
	Status       string
}

// Credentials returns the login data of username (storage.ErrNotFound if unknown).
func (s *Service) Credentials(ctx context.Context, username string) (StaffCredentials, error) {
	var c StaffCredentials
	err := s.db.Pool.QueryRow(ctx, `SELECT id, password_hash, status FROM staff WHERE username = $1`,
		strings.ToLower(username)).Scan(&c.ID, &c.PasswordHash, &c.Status)
	return c, storage.MapError(err)
}

// TouchLogin records a successful login.
func (s *Service) TouchLogin(ctx context.Context, id uuid.UUID) error {
	_, err := s.db.Pool.Exec(ctx, `UPDATE staff SET last_login_at = now() WHERE id = $1`, id)
	return err
}

// Grants returns the roles of staff id.
func (s *Service) Grants(ctx context.Context, id uuid.UUID) ([]auth.Grant, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT role, scope_level, scope_id FROM staff_roles WHERE staff_id = $1
		ORDER BY role, scope_level, scope_id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (auth.Grant, error) {
		var g auth.Grant
		err := r.Scan(&g.Role, &g.Level, &g.ScopeID)
		return g, err
	})
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
	var st Staff
	err := storage.MapError(s.db.Pool.QueryRow(ctx, `SELECT id, username, display_name, status, created_at, last_login_at
		FROM staff WHERE id = $1`, id).Scan(&st.ID, &st.Username, &st.DisplayName, &st.Status, &st.CreatedAt, &st.LastLoginAt))
	if errors.Is(err, storage.ErrNotFound) {
		return st, errs.ErrNotFound.Msgf("staff not found")
	}
	if err != nil {
		return st, err
	}
	st.Grants, err = s.Grants(ctx, id)
	return st, err
}

func (s *Service) canManageStaff(ctx context.Context, st Staff) error {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return errs.ErrUnauthenticated
	}
	if v.IsStaff() && v.ID == st.ID {
		return nil
	}
	for _, g := range st.Grants {
		ref, err := s.refOf(ctx, g.Level, g.ScopeID)
		if err != nil {
			return err
		}
		if v.Can(ref, auth.RoleAdmin) {
			return nil
		}
	}
	return errs.ErrForbidden
}

// StaffList lists the staff accounts the viewer may manage, oldest first.
func (s *Service) StaffList(ctx context.Context, p page.Request) (page.Result[Staff], error) {
	if !auth.ViewerFrom(ctx).HasRole(auth.RoleAdmin) {
		return page.Result[Staff]{}, errs.ErrForbidden
	}
	var out []Staff
	after := p.After
	for len(out) <= p.First { // scan forward until the page is full or the table ends
		rows, err := s.db.Pool.Query(ctx, `SELECT id FROM staff WHERE id > $1 ORDER BY id LIMIT 200`, after)
		if err != nil {
			return page.Result[Staff]{}, err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
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
	v := auth.ViewerFrom(ctx)
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
		if !v.Can(ref, auth.RoleAdmin) {
			return Staff{}, errs.ErrForbidden
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
		_, err := tx.Exec(ctx, `INSERT INTO staff (id, username, display_name, password_hash) VALUES ($1, $2, $3, $4)`,
			id, strings.ToLower(in.Username), in.DisplayName, hash)
		if errors.Is(storage.MapError(err), storage.ErrConflict) {
			return ErrUsernameTaken.At("input", "username")
		}
		for _, g := range in.Grants {
			if err != nil {
				break
			}
			_, err = tx.Exec(ctx, `INSERT INTO staff_roles (staff_id, role, scope_level, scope_id) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING`, id, g.Role, g.Level, g.ScopeID)
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
		if (g.Role == auth.RoleMerchantStaff) != (g.Level == auth.LevelMerchant) {
			return errs.Invalid("input.grants", "merchant staff, and only merchant staff, are scoped to a merchant")
		}
	}
	return nil
}
