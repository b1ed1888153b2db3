package members

import (
	"context"
	"errors"
	"fmt"
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
