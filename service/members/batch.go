package members

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
)

// MembersByID loads members for a dataloader; each is checked like Member (the member
// themself, or staff serving the member's group), invisible ones are not found.
func (s *Service) MembersByID(ctx context.Context, ids []uuid.UUID) ([]Member, []error) {
	found, err := queries.New(s.db.Pool).MembersByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Each(len(ids), fmt.Errorf("load members: %w", err))
	}
	groups, _ := s.staffGroups(ctx, s.db.Pool, memberRoles)
	self, _ := access.Shopper(ctx)
	notFound := errs.ErrNotFound.Msgf("member not found")
	ms := make([]Member, len(found))
	for i, r := range found {
		ms[i] = toMember(r)
	}
	return service.InOrder(ids, ms, func(m Member) uuid.UUID { return m.ID }, func(m Member) error {
		if self == m.ID || slices.Contains(groups, m.GroupID) {
			return nil
		}
		return notFound
	}, notFound)
}

// CardTypesByID loads card types for a dataloader (card types are not secret).
func (s *Service) CardTypesByID(ctx context.Context, ids []uuid.UUID) ([]CardType, []error) {
	found, err := queries.New(s.db.Pool).CardTypesByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Each(len(ids), fmt.Errorf("load card types: %w", err))
	}
	types := make([]CardType, len(found))
	for i, t := range found {
		types[i] = toCardType(t)
	}
	return service.InOrder(ids, types, func(t CardType) uuid.UUID { return t.ID }, nil,
		errs.ErrNotFound.Msgf("card type not found"))
}

// CardsOfMembers loads each member's cards for a dataloader; a member the viewer may
// not see has an error instead. A shopper's own cards need no read of the member.
func (s *Service) CardsOfMembers(ctx context.Context, memberIDs []uuid.UUID) ([][]Card, []error) {
	errsOut := make([]error, len(memberIDs))
	self, _ := access.Shopper(ctx)
	var others []uuid.UUID
	var at []int
	for i, id := range memberIDs {
		if self == uuid.Nil || id != self {
			others, at = append(others, id), append(at, i)
		}
	}
	if len(others) > 0 {
		_, es := s.MembersByID(ctx, others)
		for j, i := range at {
			errsOut[i] = es[j]
		}
	}
	all, err := rowCards(queries.New(s.db.Pool).CardsOfMembers(ctx, memberIDs))
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
