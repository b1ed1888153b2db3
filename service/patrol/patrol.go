// Package patrol is guard patrols: checkpoints (tags at places), routes of ordered
// checkpoints each with a time window per scheduled round, the scans guards make, and
// a job that flags the checkpoints a round missed, for security staff to see.
//
// Plans (plans.go) schedule rounds on top of routes: at times on weekdays, of every
// checkpoint or of a random few chosen from a seed stored with the round (plan.Choose
// recomputes it: the audit). The rounds job (RunPlans) materialises rounds ahead,
// unique per (plan, start), gives each the guard on shift at its start (rosters), and
// checks each round once after its last window: every chosen checkpoint not scanned in
// its window is a miss through the same table and MissHook as the route path (one work
// order per checkpoint, repeats counted). Guards report anomalies with presigned photo
// uploads; each opens a work order (AnomalyHook). Compliance per guard and route counts
// rounds planned and completed, checkpoints missed and the on-time share.
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
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the patrol context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service     // malls: where a route sits (access checks) and the time zone its rounds keep
	Rosters *rosters.Service // the guard on shift at a round's start
	Objects storage.Objects  // anomaly photos (presigned upload)
	Now     func() time.Time
}

// Service is the patrol context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	rosters *rosters.Service
	objects storage.Objects
	now     func() time.Time

	misses    MissHook    // SetMissHook
	anomalies AnomalyHook // SetAnomalyHook
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("patrol", d)
	return &Service{db: d.DB, org: d.Org, rosters: d.Rosters, objects: d.Objects, now: d.Now}
}

var (
	staffRoles = []auth.Role{auth.RoleAdmin, auth.RoleSecurity}
	guardRoles = staffRoles
	readRoles  = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor, auth.RoleSecurity}
)

// authorize checks that the viewer holds one of roles (default: admin or security
// staff) at the mall (an unknown mall is FORBIDDEN).
func (s *Service) authorize(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) error {
	if len(roles) == 0 {
		roles = staffRoles
	}
	if _, err := access.Viewer(ctx); err != nil {
		return err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return errs.ErrForbidden
	}
	return access.At(ctx, p.Ref(), roles...)
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
