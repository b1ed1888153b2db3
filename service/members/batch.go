package members

import (
	"context"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
)

// MembersByID loads members for a dataloader; each is checked like Member (the member
// themself, or staff serving the member's group), invisible ones are not found.
func (s *Service) MembersByID(ctx context.Context, ids []uuid.UUID) ([]Member, []error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+memberCols+` FROM members m WHERE m.id = ANY($1)`, ids)
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Member, error) { return scanMember(r) })
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	groups, _ := s.staffGroups(ctx, s.db.Pool, memberRoles)
	v := auth.ViewerFrom(ctx)
	out, errsOut := make([]Member, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		errsOut[i] = errs.ErrNotFound.Msgf("member not found")
		for _, m := range found {
			if m.ID == id && ((v.IsShopper() && v.ID == id) || slices.Contains(groups, m.GroupID)) {
				out[i], errsOut[i] = m, nil
			}
		}
	}
	return out, errsOut
}

// CardTypesByID loads card types for a dataloader (card types are not secret).
func (s *Service) CardTypesByID(ctx context.Context, ids []uuid.UUID) ([]CardType, []error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+cardTypeCols+` FROM card_types WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CardType, error) { return scanCardType(r) })
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	out, errsOut := make([]CardType, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		errsOut[i] = errs.ErrNotFound.Msgf("card type not found")
		for _, t := range found {
			if t.ID == id {
				out[i], errsOut[i] = t, nil
			}
		}
	}
	return out, errsOut
}

// CardsOfMembers loads each member's cards for a dataloader; a member the viewer may
// not see has an error instead.
func (s *Service) CardsOfMembers(ctx context.Context, memberIDs []uuid.UUID) ([][]Card, []error) {
	_, errsOut := s.MembersByID(ctx, memberIDs)
	rows, err := s.db.Pool.Query(ctx, `SELECT `+cardCols+cardFrom+`WHERE c.member_id = ANY($1) ORDER BY c.id`, memberIDs)
	if err != nil {
		return nil, errs.Each(len(memberIDs), err)
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Card, error) { return scanCard(r) })
	if err != nil {
		return nil, errs.Each(len(memberIDs), err)
	}
	out := make([][]Card, len(memberIDs))
	for i, id := range memberIDs {
		out[i] = []Card{}
		for _, c := range all {
			if c.MemberID == id && errsOut[i] == nil {
				out[i] = append(out[i], c)
			}
		}
	}
	return out, errsOut
}
