package org

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Group returns a group; staff with any grant inside it may see it.
func (s *Service) Group(ctx context.Context, id uuid.UUID) (Group, error) {
	var g Group
	err := storage.MapError(s.db.Pool.QueryRow(ctx, `SELECT id, code, name, created_at FROM org_groups WHERE id = $1`, id).
		Scan(&g.ID, &g.Code, &g.Name, &g.CreatedAt))
	if errors.Is(err, storage.ErrNotFound) {
		return g, errs.ErrNotFound.Msgf("group not found")
	}
	if err != nil {
		return g, err
	}
	return g, s.canReadGroup(ctx, g.ID)
}

// Region returns a region; staff with a grant on its group or on it may see it.
func (s *Service) Region(ctx context.Context, id uuid.UUID) (Region, error) {
	var r Region
	err := storage.MapError(s.db.Pool.QueryRow(ctx, `SELECT id, group_id, name, created_at FROM org_regions WHERE id = $1`, id).
		Scan(&r.ID, &r.GroupID, &r.Name, &r.CreatedAt))
	if errors.Is(err, storage.ErrNotFound) {
		return r, errs.ErrNotFound.Msgf("region not found")
	}
	if err != nil {
		return r, err
	}
	return r, canRead(auth.ViewerFrom(ctx), auth.OrgRef{GroupID: r.GroupID, RegionID: r.ID})
}

// canReadGroup: shoppers and anyone with a grant somewhere in the group.
func (s *Service) canReadGroup(ctx context.Context, groupID uuid.UUID) error {
	v := auth.ViewerFrom(ctx)
	if err := canRead(v, auth.OrgRef{GroupID: groupID}); !errors.Is(err, errs.ErrForbidden) {
		return err
	}
	for _, g := range v.Grants {
		ref, err := s.refOf(ctx, g.Level, g.ScopeID)
		if err == nil && ref.GroupID == groupID {
			return nil
		}
	}
	return errs.ErrForbidden
}

// refOf returns the OrgRef of the unit at level/id.
func (s *Service) refOf(ctx context.Context, level auth.Level, id uuid.UUID) (auth.OrgRef, error) {
	switch level {
	case auth.LevelGroup:
		return auth.OrgRef{GroupID: id}, nil
	case auth.LevelRegion:
		var ref auth.OrgRef
		err := s.db.Pool.QueryRow(ctx, `SELECT group_id FROM org_regions WHERE id = $1`, id).Scan(&ref.GroupID)
		ref.RegionID = id
		return ref, storage.MapError(err)
	case auth.LevelMall:
		return s.MallRef(ctx, id)
	case auth.LevelMerchant:
		return s.MerchantRef(ctx, id)
	}
	return auth.OrgRef{}, errs.Invalid("scopeLevel", "unknown level %q", level)
}

// CreateGroup adds a group. It is for `atrium seed` and platform operators: the caller
// must be a staff admin of some group (bootstrap uses the store directly).
func (s *Service) CreateGroup(ctx context.Context, code, name string) (Group, error) {
	if !auth.ViewerFrom(ctx).HasRole(auth.RoleAdmin) {
		return Group{}, errs.ErrForbidden
	}
	return s.createGroup(ctx, s.db.Pool, code, name)
}

func (s *Service) createGroup(ctx context.Context, q storage.Querier, code, name string) (Group, error) {
	if err := validCode("code", code); err != nil {
		return Group{}, err
	}
	if err := validName("name", name); err != nil {
		return Group{}, err
	}
	g := Group{ID: service.NewID(), Code: strings.ToUpper(code), Name: name}
	err := storage.MapError(q.QueryRow(ctx, `INSERT INTO org_groups (id, code, name) VALUES ($1, $2, $3) RETURNING created_at`,
		g.ID, g.Code, g.Name).Scan(&g.CreatedAt))
	if errors.Is(err, storage.ErrConflict) {
		return g, ErrCodeTaken.At("input", "code")
	}
	return g, err
}

// CreateRegion adds a region to a group; group admins only.
func (s *Service) CreateRegion(ctx context.Context, groupID uuid.UUID, name string) (Region, error) {
	if !auth.ViewerFrom(ctx).Can(auth.OrgRef{GroupID: groupID}, auth.RoleAdmin) {
		return Region{}, errs.ErrForbidden
	}
	if err := validName("name", name); err != nil {
		return Region{}, err
	}
	r := Region{ID: service.NewID(), GroupID: groupID, Name: name}
	err := storage.MapError(s.db.Pool.QueryRow(ctx, `INSERT INTO org_regions (id, group_id, name) VALUES ($1, $2, $3)
		RETURNING created_at`, r.ID, groupID, name).Scan(&r.CreatedAt))
	if errors.Is(err, storage.ErrConflict) {
		return r, ErrCodeTaken.At("input", "name").Msgf("the group has a region of that name")
	}
	return r, err
}

// GrantScope returns the unit (Group, Region, Mall or Merchant) a grant is scoped to,
// without an access check: it is for showing a grant to someone already allowed to see
// the grant (its holder, or an admin who manages the account).
func (s *Service) GrantScope(ctx context.Context, g auth.Grant) (any, error) {
	switch g.Level {
	case auth.LevelGroup:
		var out Group
		err := storage.MapError(s.db.Pool.QueryRow(ctx, `SELECT id, code, name, created_at FROM org_groups WHERE id = $1`,
			g.ScopeID).Scan(&out.ID, &out.Code, &out.Name, &out.CreatedAt))
		return out, err
	case auth.LevelRegion:
		var out Region
		err := storage.MapError(s.db.Pool.QueryRow(ctx, `SELECT id, group_id, name, created_at FROM org_regions WHERE id = $1`,
			g.ScopeID).Scan(&out.ID, &out.GroupID, &out.Name, &out.CreatedAt))
		return out, err
	case auth.LevelMall:
		return s.mall(ctx, g.ScopeID)
	case auth.LevelMerchant:
		return s.merchant(ctx, g.ScopeID)
	}
	return nil, errs.Invalid("scopeLevel", "unknown level %q", g.Level)
}
