// Package patrol is guard patrols: checkpoints (tags at places), routes of ordered
// checkpoints each with a time window per scheduled round, the scans guards make, and
// a job that flags the checkpoints a round missed, for security staff to see.
package patrol

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Service is the patrol context.
type Service struct {
	db  *storage.DB
	now func() time.Time
}

// New returns the service; now is the clock (nil: time.Now).
func New(db *storage.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now}
}

var staffRoles = []auth.Role{auth.RoleAdmin, auth.RoleSecurity}

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

// Point is a checkpoint of a route with its window, in minutes after the round start.
type Point struct {
	CheckpointID uuid.UUID
	FromMin      int
	ToMin        int
}

// Route is a patrol route.
type Route struct {
	ID          uuid.UUID
	MallID      uuid.UUID
	Name        string
	RoundStarts []int // minutes after local midnight
	Points      []Point
}

// Miss is a checkpoint a round did not reach in its window.
type Miss struct {
	ID           uuid.UUID
	MallID       uuid.UUID
	RouteID      uuid.UUID
	RoundStart   time.Time
	Seq          int
	CheckpointID uuid.UUID
	DueBy        time.Time
	FlaggedAt    time.Time
}
