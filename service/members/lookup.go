package members

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// ErrMemberNotFound is a phone number or card number that names no member of the group.
var ErrMemberNotFound = errs.New(errs.KindUser, "MEMBER_NOT_FOUND", "no member of the group has this phone or card number")

// MemberIDByPhoneIn returns the member of group holding phone (exported read for the
// alliance import and caller recognition; callers check access): ErrMemberNotFound
// when none does.
func MemberIDByPhoneIn(ctx context.Context, q storage.Querier, group uuid.UUID, phone string) (uuid.UUID, error) {
	id, err := queries.New(q).MemberIDByPhone(ctx, group, phone)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return uuid.Nil, ErrMemberNotFound
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("member by phone: %w", err)
	}
	return id, nil
}

// MemberIDByCardNumberIn returns the member holding the card numbered number in group:
// ErrMemberNotFound when no card has that number there.
func MemberIDByCardNumberIn(ctx context.Context, q storage.Querier, group uuid.UUID, number string) (uuid.UUID, error) {
	id, err := queries.New(q).MemberIDByCardNumber(ctx, group, number)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return uuid.Nil, ErrMemberNotFound
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("member by card number: %w", err)
	}
	return id, nil
}

// MemberOf reads a member without an access check (exported read: callers check
// access to the member's group themselves).
func MemberOf(ctx context.Context, q storage.Querier, id uuid.UUID) (Member, error) {
	return loadMember(ctx, q, id)
}

// MaskPhone keeps a phone's last four digits (13800138000 → *******8000), for callers
// that show a member to roles that should not see the whole number.
func MaskPhone(phone string) string { return maskPhone(phone) }
