package members

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
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
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return nil, errs.ErrUnauthenticated
	}
	if !v.HasRole(roles...) {
		return nil, errs.ErrForbidden
	}
	var levels []string
	var ids []uuid.UUID
	for _, g := range v.Grants {
		for _, r := range roles {
			if g.Role == r {
				levels, ids = append(levels, string(g.Level)), append(ids, g.ScopeID)
			}
		}
	}
	rows, err := q.Query(ctx, `
		SELECT DISTINCT CASE u.level
			WHEN 'group' THEN u.id
			WHEN 'region' THEN (SELECT group_id FROM org_regions WHERE id = u.id)
			WHEN 'mall' THEN (SELECT group_id FROM malls WHERE id = u.id)
			WHEN 'merchant' THEN (SELECT ml.group_id FROM merchants m JOIN malls ml ON ml.id = m.mall_id WHERE m.id = u.id)
		END FROM unnest($1::text[], $2::uuid[]) AS u(level, id)`, levels, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []uuid.UUID
	for rows.Next() {
		var id *uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if id != nil {
			out = append(out, *id)
		}
	}
	return out, rows.Err()
}

// requireGroup checks that the viewer holds one of roles somewhere in group. Inside a
// transaction, pass the transaction: never hold a transaction while waiting for a
// second pooled connection.
func (s *Service) requireGroup(ctx context.Context, q storage.Querier, group uuid.UUID, roles []auth.Role) error {
	groups, err := s.staffGroups(ctx, q, roles)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if g == group {
			return nil
		}
	}
	return errs.ErrForbidden
}

// requireMall checks that the viewer holds one of roles over mall and returns the
// mall's group.
func (s *Service) requireMall(ctx context.Context, mall uuid.UUID, roles []auth.Role) (uuid.UUID, error) {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return uuid.Nil, errs.ErrUnauthenticated
	}
	ref, err := s.mallRef(ctx, mall)
	if err != nil {
		return uuid.Nil, err
	}
	if !v.Can(ref, roles...) {
		return uuid.Nil, errs.ErrForbidden
	}
	return ref.GroupID, nil
}

// mallRef places a mall in the organisation.
func (s *Service) mallRef(ctx context.Context, mall uuid.UUID) (auth.OrgRef, error) {
	ref := auth.OrgRef{MallID: mall}
	var region *uuid.UUID
	err := s.db.Pool.QueryRow(ctx, `SELECT group_id, region_id FROM malls WHERE id = $1`, mall).Scan(&ref.GroupID, &region)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return ref, errs.ErrNotFound.Msgf("mall not found")
	}
	if err != nil {
		return ref, err
	}
	if region != nil {
		ref.RegionID = *region
	}
	return ref, nil
}

// shopper returns the shopper viewer's member id.
func shopper(ctx context.Context) (uuid.UUID, error) {
	v := auth.ViewerFrom(ctx)
	switch {
	case v == nil:
		return uuid.Nil, errs.ErrUnauthenticated
	case !v.IsShopper():
		return uuid.Nil, errs.ErrForbidden
	}
	return v.ID, nil
}
