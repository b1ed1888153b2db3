package members

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Member is a member's profile.
type Member struct {
	ID               uuid.UUID
	GroupID          uuid.UUID // uuid.Nil until registration
	Name             string
	Phone            string
	Gender           string
	Birthday         *time.Time
	Anniversary      *time.Time
	PhotoKey         string
	Tags             []string
	SourceChannel    string
	ReferrerID       *uuid.UUID
	RegisteredAt     *time.Time // nil: logged in with WeChat but not registered yet
	RegisteredMallID *uuid.UUID
	Status           MemberStatus
	CreatedAt        time.Time
	HasWeChat        bool
	TierID           *uuid.UUID // the loyalty tier (kept by the loyalty context)
}

// ForCashier is what a merchant's cashier sees of a member whose code they scanned:
// the id, group, tier and status to record a purchase, the name's first character and
// the phone's last four digits to greet and confirm; no birthday, tags, photo or
// referrer (PIPL: the least a task needs).
func (m Member) ForCashier() Member {
	return Member{ID: m.ID, GroupID: m.GroupID, Name: maskName(m.Name), Phone: maskPhone(m.Phone), Status: m.Status,
		TierID: m.TierID, RegisteredAt: m.RegisteredAt, CreatedAt: m.CreatedAt}
}

// maskName keeps a name's first character: 林小姐 → 林**.
func maskName(name string) string {
	r := []rune(name)
	if len(r) <= 1 {
		return name
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}

// maskPhone keeps a phone's last four digits: 13800138000 → *******8000.
func maskPhone(phone string) string {
	if len(phone) <= 4 {
		return strings.Repeat("*", len(phone))
	}
	return strings.Repeat("*", len(phone)-4) + phone[len(phone)-4:]
}

// toMember is a member row as the service shows it.
func toMember(m queries.Member) Member {
	var group uuid.UUID
	if m.GroupID != nil {
		group = *m.GroupID
	}
	return Member{ID: m.ID, GroupID: group, Name: m.Name, Phone: deref(m.Phone), Gender: m.Gender, Birthday: m.Birthday,
		Anniversary: m.Anniversary, PhotoKey: deref(m.PhotoKey), Tags: m.Tags, SourceChannel: m.SourceChannel,
		ReferrerID: m.ReferrerID, RegisteredAt: m.RegisteredAt, RegisteredMallID: m.RegisteredMallID,
		Status: MemberStatus(m.Status), CreatedAt: m.CreatedAt, HasWeChat: m.Openid != nil, TierID: m.TierID}
}

// loadMember reads a member without an access check.
func loadMember(ctx context.Context, q storage.Querier, id uuid.UUID) (Member, error) {
	m, err := queries.New(q).MemberByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Member{}, errs.ErrNotFound.Msgf("member not found")
	}
	if err != nil {
		return Member{}, fmt.Errorf("load member: %w", err)
	}
	return toMember(m), nil
}

// Me returns the shopper viewer's own profile.
func (s *Service) Me(ctx context.Context) (Member, error) {
	id, err := access.Shopper(ctx)
	if err != nil {
		return Member{}, err
	}
	return loadMember(ctx, s.db.Pool, id)
}

// Member returns a member to staff serving the member's group, or to the member.
func (s *Service) Member(ctx context.Context, id uuid.UUID) (Member, error) {
	m, err := loadMember(ctx, s.db.Pool, id)
	if err != nil {
		return m, err
	}
	if self, err := access.Shopper(ctx); err == nil && self == id {
		return m, nil
	}
	if err := s.requireGroup(ctx, s.db.Pool, m.GroupID, memberRoles); err != nil {
		if errors.Is(err, errs.ErrForbidden) {
			return Member{}, errs.ErrNotFound.Msgf("member not found")
		}
		return Member{}, err
	}
	return m, nil
}
