// Package patrol is guard patrols: checkpoints (tags at places), routes of ordered
// checkpoints each with a time window per scheduled round, the scans guards make, and
// a job that flags the checkpoints a round missed, for security staff to see.
package patrol

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the patrol context is built from; all are required.
type Deps struct {
	DB  *storage.DB
	Org *org.Service // malls: where a route sits (access checks) and the time zone its rounds keep
	Now func() time.Time
}

// Service is the patrol context.
type Service struct {
	db  *storage.DB
	org *org.Service
	now func() time.Time

	misses MissHook // optional: SetMissHook
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("patrol", d)
	return &Service{db: d.DB, org: d.Org, now: d.Now}
}

var staffRoles = []auth.Role{auth.RoleAdmin, auth.RoleSecurity}

// authorize checks that the viewer is admin or security staff of the mall (an unknown
// mall is FORBIDDEN).
func (s *Service) authorize(ctx context.Context, mallID uuid.UUID) error {
	if _, err := access.Viewer(ctx); err != nil {
		return err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return errs.ErrForbidden
	}
	return access.At(ctx, p.Ref(), staffRoles...)
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
