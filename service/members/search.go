package members

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/service/page"
)

// MemberFilter narrows a staff search; zero fields do not filter.
type MemberFilter struct {
	GroupID        uuid.UUID  // zero: the viewer's group when they serve exactly one
	Phone          string     // digits: the phone number or its beginning
	CardNumber     string     // a card of the member (any status)
	Tag            string     // members carrying this tag
	TierID         uuid.UUID  // members in this tier (members.tier_id, kept by loyalty)
	RegisteredFrom *time.Time // registered at or after
	RegisteredTo   *time.Time // registered before
}

// SearchMembers lists the registered members of a group the viewer serves (admin,
// member operations, service desk), oldest first, as a keyset page.
func (s *Service) SearchMembers(ctx context.Context, f MemberFilter, p page.Request) (page.Result[Member], error) {
	var none page.Result[Member]
	group, err := s.searchGroup(ctx, f.GroupID)
	if err != nil {
		return none, err
	}
	phone := strings.TrimSpace(f.Phone)
	if strings.Trim(phone, "0123456789") != "" || len(phone) > 11 {
		return none, errs.Invalid("filter.phone", "phone must be digits")
	}
	rows, err := queries.New(s.db.Pool).SearchMembers(ctx, queries.SearchMembersParams{GroupID: group, After: p.After,
		Phone: phone, CardNumber: strings.TrimSpace(f.CardNumber), Tag: strings.TrimSpace(f.Tag),
		RegisteredFrom: f.RegisteredFrom, RegisteredTo: f.RegisteredTo, TierID: nilIfZero(f.TierID), Lim: int32(p.Limit())})
	if err != nil {
		return none, fmt.Errorf("search members: %w", err)
	}
	all := make([]Member, len(rows))
	for i, r := range rows {
		all[i] = toMember(r)
	}
	return page.Cut(p, all), nil
}

// nilIfZero is nil for uuid.Nil (an unset filter), else a pointer to id.
func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// searchGroup picks the group to search: the one asked for, if the viewer serves it,
// else the viewer's only group.
func (s *Service) searchGroup(ctx context.Context, want uuid.UUID) (uuid.UUID, error) {
	groups, err := s.staffGroups(ctx, s.db.Pool, memberRoles)
	if err != nil {
		return uuid.Nil, err
	}
	for _, g := range groups {
		if g == want || (want == uuid.Nil && len(groups) == 1) {
			return g, nil
		}
	}
	if want == uuid.Nil {
		return uuid.Nil, errs.Invalid("filter.groupId", "choose a group")
	}
	return uuid.Nil, errs.ErrForbidden
}
