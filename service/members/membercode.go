package members

import (
	"context"
	"time"

	"github.com/google/uuid"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
)

// ErrNotRegistered: the shopper has logged in but not completed registration.
var ErrNotRegistered = errs.New(errs.KindUser, "NOT_REGISTERED", "complete registration first")

// MemberCode is what the mini-program shows: the signed code and its QR image.
type MemberCode struct {
	Code      string
	PNG       []byte // QR code of Code, 256×256
	ExpiresAt time.Time
}

// MyMemberCode issues a fresh member code for the shopper viewer, valid for CodeTTL
// (the mini-program asks for a new one before it expires, so the code rotates).
func (s *Service) MyMemberCode(ctx context.Context) (MemberCode, error) {
	id, err := access.Shopper(ctx)
	if err != nil {
		return MemberCode{}, err
	}
	m, err := loadMember(ctx, s.db.Pool, id)
	if err != nil {
		return MemberCode{}, err
	}
	if m.RegisteredAt == nil {
		return MemberCode{}, ErrNotRegistered
	}
	if m.Status != MemberActive {
		return MemberCode{}, ErrMemberInactive
	}
	if len(s.cfg.CodeKey) < minCodeBytes {
		return MemberCode{}, errs.New(errs.KindInternal, "CONFIG", "member code key is not configured")
	}
	now := s.now().Truncate(time.Second)
	code := encodeCode(s.cfg.CodeKey, id, now)
	png, err := qrcode.Encode(code, qrcode.Medium, 256)
	if err != nil {
		return MemberCode{}, err
	}
	return MemberCode{Code: code, PNG: png, ExpiresAt: now.Add(s.cfg.CodeTTL)}, nil
}

// MemberIDFromCode verifies a scanned member code and returns the member id, without
// any access check (callers such as purchases check the viewer's scope themselves).
// A forged or malformed code is ErrMemberCodeInvalid, a stale one ErrMemberCodeExpired.
func (s *Service) MemberIDFromCode(code string) (uuid.UUID, error) {
	if len(s.cfg.CodeKey) < minCodeBytes {
		return uuid.Nil, ErrMemberCodeInvalid
	}
	id, issued, err := decodeCode(s.cfg.CodeKey, code)
	if err != nil {
		return uuid.Nil, err
	}
	return id, checkFresh(issued, s.now(), s.cfg.CodeTTL)
}

// ResolvedMember is a scanned member with their default card (nil without one).
type ResolvedMember struct {
	Member      Member
	DefaultCard *Card
}

// codeRoles may scan member codes.
var codeRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps, auth.RoleServiceDesk, auth.RoleMerchantStaff}

// ResolveMemberCode identifies the member behind a scanned code, for staff (including
// merchant staff at a till) of the member's group.
func (s *Service) ResolveMemberCode(ctx context.Context, code string) (ResolvedMember, error) {
	if _, err := s.staffGroups(ctx, s.db.Pool, codeRoles); err != nil {
		return ResolvedMember{}, err
	}
	id, err := s.MemberIDFromCode(code)
	if err != nil {
		return ResolvedMember{}, err
	}
	m, err := loadMember(ctx, s.db.Pool, id)
	if err != nil {
		return ResolvedMember{}, ErrMemberCodeInvalid
	}
	if err := s.requireGroup(ctx, s.db.Pool, m.GroupID, codeRoles); err != nil {
		return ResolvedMember{}, err
	}
	if m.Status != MemberActive {
		return ResolvedMember{}, ErrMemberInactive
	}
	if s.requireGroup(ctx, s.db.Pool, m.GroupID, memberRoles) != nil {
		m = m.ForCashier() // merchant staff: enough to serve the member, not their profile
	}
	card, err := s.defaultCard(ctx, id)
	return ResolvedMember{Member: m, DefaultCard: card}, err
}
