package members

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// memberRoles may manage members and cards.
var memberRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps, auth.RoleServiceDesk}

// setupRoles may configure card types.
var setupRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}

// staffGroups returns the groups in which the viewer holds one of roles at any level
// (a grant on a mall or region lets its holder serve the whole group's members, who
// are shared across the group's malls).
func (s *Service) staffGroups(ctx context.Context, q storage.Querier, roles []auth.Role) ([]uuid.UUID, error) {
	v, err := access.Staff(ctx, roles...)
	if err != nil {
		return nil, err
	}
	groups, places := grantPlaces(v.Grants, roles)
	if len(places.RegionIds)+len(places.MallIds)+len(places.MerchantIds) == 0 {
		return groups, nil
	}
	found, err := queries.New(q).GroupsOfPlaces(ctx, places)
	if err != nil {
		return nil, fmt.Errorf("groups of staff grants: %w", err)
	}
	for _, g := range found {
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	return groups, nil
}

// grantPlaces sorts the grants of one of roles: the groups granted outright, and the
// regions, malls and merchants whose groups are to be looked up.
func grantPlaces(grants []auth.Grant, roles []auth.Role) ([]uuid.UUID, queries.GroupsOfPlacesParams) {
	var groups []uuid.UUID
	var p queries.GroupsOfPlacesParams
	for _, g := range grants {
		if !slices.Contains(roles, g.Role) {
			continue
		}
		switch g.Level {
		case auth.LevelGroup:
			if !slices.Contains(groups, g.ScopeID) {
				groups = append(groups, g.ScopeID)
			}
		case auth.LevelRegion:
			p.RegionIds = append(p.RegionIds, g.ScopeID)
		case auth.LevelMall:
			p.MallIds = append(p.MallIds, g.ScopeID)
		case auth.LevelMerchant:
			p.MerchantIds = append(p.MerchantIds, g.ScopeID)
		}
	}
	return groups, p
}

// requireGroup checks that the viewer holds one of roles somewhere in group. Inside a
// transaction, pass the transaction: never hold a transaction while waiting for a
// second pooled connection.
func (s *Service) requireGroup(ctx context.Context, q storage.Querier, group uuid.UUID, roles []auth.Role) error {
	groups, err := s.staffGroups(ctx, q, roles)
	if err != nil {
		return err
	}
	if !slices.Contains(groups, group) {
		return errs.ErrForbidden
	}
	return nil
}

// requireMall checks that the viewer holds one of roles over mall and returns the
// mall's place (its group is the members' group).
func (s *Service) requireMall(ctx context.Context, mall uuid.UUID, roles []auth.Role) (org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mall)
	if err != nil {
		return p, fmt.Errorf("mall of the request: %w", err)
	}
	return p, access.At(ctx, p.Ref(), roles...)
}
