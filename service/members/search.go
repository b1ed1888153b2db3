package members

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
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
	rows, err := s.db.Pool.Query(ctx, `SELECT `+memberCols+` FROM members m
		WHERE m.group_id = $1 AND m.registered_at IS NOT NULL AND m.id > $2
		  AND ($3 = '' OR m.phone LIKE $3 || '%')
		  AND ($4 = '' OR EXISTS (SELECT 1 FROM cards c WHERE c.member_id = m.id AND c.number = $4))
		  AND ($5 = '' OR m.tags @> ARRAY[$5])
		  AND ($6::timestamptz IS NULL OR m.registered_at >= $6)
		  AND ($7::timestamptz IS NULL OR m.registered_at < $7)
		  AND ($8 = '00000000-0000-0000-0000-000000000000'::uuid OR m.tier_id = $8)
		ORDER BY m.id LIMIT $9`,
		group, p.After, phone, strings.TrimSpace(f.CardNumber), strings.TrimSpace(f.Tag), f.RegisteredFrom, f.RegisteredTo,
		f.TierID, p.Limit())
	if err != nil {
		return none, err
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Member, error) { return scanMember(r) })
	return page.Cut(p, all), err
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
