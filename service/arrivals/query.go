package arrivals

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/arrivals/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
)

// staffRoles may watch a mall's arrivals and visits.
var staffRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps, auth.RoleServiceDesk, auth.RoleSecurity}

// authorize checks that the caller is staff holding one of roles over the mall, and
// returns the mall. An unknown mall is FORBIDDEN, like another mall.
func (s *Service) authorize(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if errors.Is(err, errs.ErrNotFound) {
		return p, errs.ErrForbidden
	} else if err != nil {
		return p, fmt.Errorf("load mall: %w", err)
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// Arrivals returns a mall's recognised arrivals in [from, to), for its staff.
func (s *Service) Arrivals(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]Arrival, error) {
	if _, err := s.authorize(ctx, mallID, staffRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).MallArrivals(ctx, queries.MallArrivalsParams{MallID: mallID, Since: from, Until: to})
	if err != nil {
		return nil, err
	}
	out := make([]Arrival, len(rows))
	for i, r := range rows {
		out[i] = Arrival{ID: r.ID, MallID: r.MallID, MemberID: r.MemberID, Entrance: r.Entrance, At: r.At, VIP: r.Vip,
			Notified: r.Notified, SnapshotKey: r.SnapshotKey, SnapshotURL: r.SnapshotUrl}
	}
	return out, nil
}

// VisitRow is a stored visit.
type VisitRow struct {
	ID       uuid.UUID
	DeviceID string
	CardUID  string
	MemberID *uuid.UUID
	At       time.Time
	Result   VisitResult
	Reason   string
}

// Visits returns a mall's card-reader visits in [from, to), for its staff.
func (s *Service) Visits(ctx context.Context, mallID uuid.UUID, from, to time.Time) ([]VisitRow, error) {
	if _, err := s.authorize(ctx, mallID, staffRoles...); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).MallVisits(ctx, queries.MallVisitsParams{MallID: mallID, Since: from, Until: to})
	if err != nil {
		return nil, err
	}
	out := make([]VisitRow, len(rows))
	for i, r := range rows {
		out[i] = VisitRow{ID: r.ID, DeviceID: r.DeviceID, CardUID: r.CardUid, MemberID: r.MemberID, At: r.At,
			Result: VisitResult(r.Result), Reason: r.Reason}
	}
	return out, nil
}
