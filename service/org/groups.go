package org

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Group returns a group; staff with any grant inside it may see it.
func (s *Service) Group(ctx context.Context, id uuid.UUID) (Group, error) {
	row, err := queries.New(s.db.Pool).GroupByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Group{}, errs.ErrNotFound.Msgf("group not found")
	}
	if err != nil {
		return Group{}, err
	}
	g := Group(row)
	return g, s.canReadGroup(ctx, g.ID)
}

// Region returns a region; staff with a grant on its group or on it may see it.
func (s *Service) Region(ctx context.Context, id uuid.UUID) (Region, error) {
	row, err := queries.New(s.db.Pool).RegionByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Region{}, errs.ErrNotFound.Msgf("region not found")
	}
	if err != nil {
		return Region{}, err
	}
	r := Region(row)
	return r, canRead(ctx, auth.OrgRef{GroupID: r.GroupID, RegionID: r.ID})
}

// canReadGroup: shoppers and anyone with a grant somewhere in the group.
func (s *Service) canReadGroup(ctx context.Context, groupID uuid.UUID) error {
	if err := canRead(ctx, auth.OrgRef{GroupID: groupID}); !errors.Is(err, errs.ErrForbidden) {
		return err
	}
	groups, err := s.GroupsOf(ctx, nil, auth.ViewerFrom(ctx).Grants)
	if err != nil {
		return err
	}
	if slices.Contains(groups, groupID) {
		return nil
	}
	return errs.ErrForbidden
}

// GroupsOf returns the groups the grants cover, whatever their level (a grant on a
// region, mall or merchant lies in that unit's group), distinct and in id order,
// through q (a transaction of the caller's, or nil for the pool). Callers pick the
// grants (by role) first; grants on units that no longer exist cover nothing.
func (s *Service) GroupsOf(ctx context.Context, q storage.Querier, grants []auth.Grant) ([]uuid.UUID, error) {
	if len(grants) == 0 {
		return nil, nil
	}
	if q == nil {
		q = s.db.Pool
	}
	sc := scopesOf(grants)
	groups, err := queries.New(q).GroupsOfScopes(ctx, queries.GroupsOfScopesParams{GroupIds: sc[auth.LevelGroup],
		RegionIds: sc[auth.LevelRegion], MallIds: sc[auth.LevelMall], MerchantIds: sc[auth.LevelMerchant]})
	if err != nil {
		return nil, fmt.Errorf("org: groups of grants: %w", err)
	}
	return groups, nil
}

// refOf returns the OrgRef of the unit at level/id.
func (s *Service) refOf(ctx context.Context, level auth.Level, id uuid.UUID) (auth.OrgRef, error) {
	switch level {
	case auth.LevelGroup:
		return auth.OrgRef{GroupID: id}, nil
	case auth.LevelRegion:
		group, err := queries.New(s.db.Pool).RegionGroup(ctx, id)
		return auth.OrgRef{GroupID: group, RegionID: id}, storage.MapError(err)
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
	if _, err := access.Staff(ctx, auth.RoleAdmin); err != nil {
		return Group{}, err
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
	var err error
	g.CreatedAt, err = queries.New(q).InsertGroup(ctx, queries.InsertGroupParams{ID: g.ID, Code: g.Code, Name: g.Name})
	if err = storage.MapError(err); errors.Is(err, storage.ErrConflict) {
		return g, ErrCodeTaken.At("input", "code")
	}
	return g, err
}

// CreateRegion adds a region to a group; group admins only.
func (s *Service) CreateRegion(ctx context.Context, groupID uuid.UUID, name string) (Region, error) {
	if err := access.At(ctx, auth.OrgRef{GroupID: groupID}, auth.RoleAdmin); err != nil {
		return Region{}, err
	}
	if err := validName("name", name); err != nil {
		return Region{}, err
	}
	r := Region{ID: service.NewID(), GroupID: groupID, Name: name}
	var err error
	r.CreatedAt, err = queries.New(s.db.Pool).InsertRegion(ctx, queries.InsertRegionParams{ID: r.ID, GroupID: groupID, Name: name})
	if err = storage.MapError(err); errors.Is(err, storage.ErrConflict) {
		return r, ErrCodeTaken.At("input", "name").Msgf("the group has a region of that name")
	}
	return r, err
}

// GrantScope returns the unit (Group, Region, Mall or Merchant) a grant is scoped to,
// without an access check: it is for showing a grant to someone already allowed to see
// the grant (its holder, or an admin who manages the account).
func (s *Service) GrantScope(ctx context.Context, g auth.Grant) (any, error) {
	q := queries.New(s.db.Pool)
	switch g.Level {
	case auth.LevelGroup:
		row, err := q.GroupByID(ctx, g.ScopeID)
		return Group(row), storage.MapError(err)
	case auth.LevelRegion:
		row, err := q.RegionByID(ctx, g.ScopeID)
		return Region(row), storage.MapError(err)
	case auth.LevelMall:
		return s.mall(ctx, g.ScopeID)
	case auth.LevelMerchant:
		return s.merchant(ctx, g.ScopeID)
	}
	return nil, errs.Invalid("scopeLevel", "unknown level %q", g.Level)
}
