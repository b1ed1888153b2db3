package loyalty

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
)

// Tier returns one tier to a viewer of its group: a member of the group, or staff with
// any grant inside it (group, region, mall or merchant). Others get not found.
func (s *Service) Tier(ctx context.Context, id uuid.UUID) (Tier, error) {
	r, err := queries.New(s.db.Pool).TierByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Tier{}, errs.ErrNotFound.Msgf("tier not found")
	}
	if err != nil {
		return Tier{}, err
	}
	ok, err := s.inGroup(ctx, r.GroupID)
	switch {
	case err != nil:
		return Tier{}, err
	case !ok:
		return Tier{}, errs.ErrNotFound.Msgf("tier not found")
	}
	return tierOf(r), nil
}

// inGroup reports whether the viewer belongs to the group: a member of it, or staff
// holding a grant on the group or on one of its regions, malls or merchants (org
// decides: the staff who may read the group).
func (s *Service) inGroup(ctx context.Context, group uuid.UUID) (bool, error) {
	v := auth.ViewerFrom(ctx)
	switch {
	case v.IsShopper():
		return queries.New(s.db.Pool).MemberInGroup(ctx, v.ID, group)
	case v.IsStaff():
		_, err := s.org.Group(ctx, group)
		if errors.Is(err, errs.ErrForbidden) || errors.Is(err, errs.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	return false, nil
}
