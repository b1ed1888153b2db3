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
	if strings.Trim(phone, "0123456789") != "" || len(phone) > phoneDigits {
		return none, errs.Invalid("filter.phone", "phone must be digits")
	}
	rows, err := s.searchRows(ctx, group, phone, strings.TrimSpace(f.CardNumber), f, p)
	if err != nil {
		return none, fmt.Errorf("search members: %w", err)
	}
	all := make([]Member, len(rows))
	for i, r := range rows {
		all[i] = toMember(r)
	}
	return page.Cut(p, all), nil
}

// CountMembers is how many members SearchMembers lists for f without a phone or card
// number (an export's total); the same access as SearchMembers.
func (s *Service) CountMembers(ctx context.Context, f MemberFilter) (int64, error) {
	group, err := s.searchGroup(ctx, f.GroupID)
	if err != nil {
		return 0, err
	}
	if f.Phone != "" || f.CardNumber != "" {
		return 0, errs.Invalid("filter", "a count takes no phone or card number")
	}
	return queries.New(s.db.Reader(ctx)).CountMembers(ctx, queries.CountMembersParams{GroupID: group,
		Tag: strings.TrimSpace(f.Tag), RegisteredFrom: f.RegisteredFrom, RegisteredTo: f.RegisteredTo,
		TierID: nilIfZero(f.TierID)})
}

// searchShape is the statement a search runs, by the filters that can lead it to an index.
type searchShape int

const (
	searchAll         searchShape = iota // no phone, no card number: the group in id order
	searchPhone                          // a whole phone number
	searchPhonePrefix                    // the beginning of a phone number, prefixDigits or more
	searchShortPrefix                    // the beginning of a phone number, fewer digits
	searchCard                           // a card number (with a phone too: the card leads)
)

const (
	// phoneDigits is the length of a whole phone number (mainland mobile; NormalizePhone).
	phoneDigits = 11
	// prefixDigits: a phone prefix this long matches at most 10^(11-7) members of a group
	// (phones are unique in a group), few enough to read them all and sort.
	prefixDigits = 7
)

// shapeOf picks the statement for a search's (trimmed, validated) phone and card number.
func shapeOf(phone, card string) searchShape {
	switch {
	case card != "":
		return searchCard
	case len(phone) == phoneDigits:
		return searchPhone
	case len(phone) >= prefixDigits:
		return searchPhonePrefix
	case phone != "":
		return searchShortPrefix
	}
	return searchAll
}

// searchRows runs the statement of the search's shape (see members.sql: each has an
// index plan of its own).
func (s *Service) searchRows(ctx context.Context, group uuid.UUID, phone, card string, f MemberFilter,
	p page.Request) ([]queries.Member, error) {
	// Reader: an export's pages (a context marked storage.PreferReplica) come from the
	// read replica when one is configured.
	q, tag, tier, lim := queries.New(s.db.Reader(ctx)), strings.TrimSpace(f.Tag), nilIfZero(f.TierID), int32(p.Limit())
	switch shapeOf(phone, card) {
	case searchCard:
		return q.SearchMembersByCard(ctx, queries.SearchMembersByCardParams{CardNumber: card, GroupID: group,
			After: p.After, Phone: phone, Tag: tag, RegisteredFrom: f.RegisteredFrom, RegisteredTo: f.RegisteredTo,
			TierID: tier, Lim: lim})
	case searchPhone:
		return q.SearchMembersByPhone(ctx, queries.SearchMembersByPhoneParams{GroupID: group, Phone: phone,
			After: p.After, Tag: tag, RegisteredFrom: f.RegisteredFrom, RegisteredTo: f.RegisteredTo, TierID: tier,
			Lim: lim})
	case searchPhonePrefix:
		return q.SearchMembersByPhonePrefix(ctx, queries.SearchMembersByPhonePrefixParams{GroupID: group,
			Prefix: phone, After: p.After, Tag: tag, RegisteredFrom: f.RegisteredFrom, RegisteredTo: f.RegisteredTo,
			TierID: tier, Lim: lim})
	case searchShortPrefix:
		return q.SearchMembersByShortPhonePrefix(ctx, queries.SearchMembersByShortPhonePrefixParams{GroupID: group,
			Prefix: phone, After: p.After, Tag: tag, RegisteredFrom: f.RegisteredFrom, RegisteredTo: f.RegisteredTo,
			TierID: tier, Lim: lim})
	}
	return q.SearchMembers(ctx, queries.SearchMembersParams{GroupID: group, After: p.After, Tag: tag,
		RegisteredFrom: f.RegisteredFrom, RegisteredTo: f.RegisteredTo, TierID: tier, Lim: lim})
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
