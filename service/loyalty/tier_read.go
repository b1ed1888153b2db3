package loyalty

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
)

// Tier returns one tier to a viewer of its group: a member of the group, or staff with
// any grant inside it (group, region, mall or merchant). Others get not found.
func (s *Service) Tier(ctx context.Context, id uuid.UUID) (Tier, error) {
	var t Tier
	err := s.db.Pool.QueryRow(ctx, `SELECT id, group_id, code, name, rank, threshold, discount_rate, points_multiplier
		FROM loyalty_tiers WHERE id = $1`, id).
		Scan(&t.ID, &t.GroupID, &t.Code, &t.Name, &t.Rank, &t.Threshold, &t.DiscountRate, &t.PointsMultiplier)
	if errors.Is(err, pgx.ErrNoRows) {
		return Tier{}, errs.ErrNotFound.Msgf("tier not found")
	}
	if err != nil {
		return Tier{}, err
	}
	ok, err := s.inGroup(ctx, t.GroupID)
	switch {
	case err != nil:
		return Tier{}, err
	case !ok:
		return Tier{}, errs.ErrNotFound.Msgf("tier not found")
	}
	return t, nil
}

// inGroup reports whether the viewer belongs to the group: a member of it, or staff
// holding a grant on the group or on one of its regions, malls or merchants.
func (s *Service) inGroup(ctx context.Context, group uuid.UUID) (bool, error) {
	v := auth.ViewerFrom(ctx)
	var ok bool
	switch {
	case v.IsShopper():
		err := s.db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM members WHERE id = $1 AND group_id = $2)`,
			v.ID, group).Scan(&ok)
		return ok, err
	case v.IsStaff():
		scopes := make([]uuid.UUID, len(v.Grants))
		for i, g := range v.Grants {
			scopes[i] = g.ScopeID
		}
		err := s.db.Pool.QueryRow(ctx, `SELECT $2::uuid = ANY($1::uuid[])
			OR EXISTS (SELECT 1 FROM org_regions WHERE group_id = $2 AND id = ANY($1))
			OR EXISTS (SELECT 1 FROM malls WHERE group_id = $2 AND id = ANY($1))
			OR EXISTS (SELECT 1 FROM merchants m JOIN malls l ON l.id = m.mall_id WHERE l.group_id = $2 AND m.id = ANY($1))`,
			scopes, group).Scan(&ok)
		return ok, err
	}
	return false, nil
}
