package members

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
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
	Status           string
	CreatedAt        time.Time
	HasWeChat        bool
	TierID           *uuid.UUID // the loyalty tier (kept by the loyalty context)
}

const memberCols = `m.id, coalesce(m.group_id, '00000000-0000-0000-0000-000000000000'), m.name, coalesce(m.phone, ''),
	m.gender, m.birthday, m.anniversary, coalesce(m.photo_key, ''), m.tags, m.source_channel, m.referrer_id,
	m.registered_at, m.registered_mall_id, m.status, m.created_at, m.openid IS NOT NULL, m.tier_id`

func scanMember(row pgx.Row) (Member, error) {
	var m Member
	err := row.Scan(&m.ID, &m.GroupID, &m.Name, &m.Phone, &m.Gender, &m.Birthday, &m.Anniversary, &m.PhotoKey,
		&m.Tags, &m.SourceChannel, &m.ReferrerID, &m.RegisteredAt, &m.RegisteredMallID, &m.Status, &m.CreatedAt,
		&m.HasWeChat, &m.TierID)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return m, errs.ErrNotFound.Msgf("member not found")
	}
	return m, err
}

// loadMember reads a member without an access check.
func loadMember(ctx context.Context, q storage.Querier, id uuid.UUID) (Member, error) {
	return scanMember(q.QueryRow(ctx, `SELECT `+memberCols+` FROM members m WHERE m.id = $1`, id))
}

// Me returns the shopper viewer's own profile.
func (s *Service) Me(ctx context.Context) (Member, error) {
	id, err := shopper(ctx)
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
	if self, err := shopper(ctx); err == nil && self == id {
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
