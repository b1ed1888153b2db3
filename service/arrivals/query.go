package arrivals

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
)

var staffRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps, auth.RoleServiceDesk, auth.RoleSecurity}

func (s *Service) authorize(ctx context.Context, mallID uuid.UUID) error {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return errs.ErrUnauthenticated
	}
	ref, err := org.New(org.Deps{DB: s.db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)}).MallRef(ctx, mallID)
	if err != nil || !v.Can(ref, staffRoles...) {
		return errs.ErrForbidden
	}
	return nil
}

// Arrivals returns a mall's recognised arrivals in [from, to), for its staff.
func (s *Service) Arrivals(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]Arrival, error) {
	if err := s.authorize(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT id, mall_id, member_id, entrance, at, vip, notified,
		coalesce(snapshot_key, ''), coalesce(snapshot_url, '') FROM arrivals
		WHERE mall_id = $1 AND at >= $2 AND at < $3 ORDER BY at, id`, mallID, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Arrival])
}

// VisitRow is a stored visit.
type VisitRow struct {
	ID       uuid.UUID
	DeviceID string
	CardUID  string
	MemberID *uuid.UUID
	At       time.Time
	Result   string
	Reason   string
}

// Visits returns a mall's card-reader visits in [from, to), for its staff.
func (s *Service) Visits(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]VisitRow, error) {
	if err := s.authorize(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT id, device_id, card_uid, member_id, at, result, reason FROM visits
		WHERE mall_id = $1 AND at >= $2 AND at < $3 ORDER BY at, id`, mallID, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[VisitRow])
}
