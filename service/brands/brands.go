// Package brands is the brand library (品牌库) of a group and the 招商 pipeline of its
// malls.
//
// A brand is group-wide: any staff member of a mall of the group reads it, leasing
// staff and admins anywhere in the group prepare it (create, edit, contacts, files);
// tenants, merchant staff and shoppers see nothing. Its name is unique in the group
// after Normalize (NFKC, case folding, spaces and punctuation dropped), and the unique
// index on (group_id, normalized_name) is what decides: two concurrent creates of
// "Nike" and "ＮＩＫＥ" cannot both win, and the loser gets DUPLICATE_BRAND naming the
// winner. Files are uploaded straight to object storage with a presigned URL and then
// attached: the object must exist, be within the size limit and sniff as an allowed
// type (the limit is checked after the upload, since a presigned PUT carries none).
//
// A prospect is a brand wanted in one mall (an area in m², or unit ids of the leasing
// context, by id only), owned by a leasing staff member, moving through the stages
// lead → visited → negotiating → loi → contract → won, or lost with a reason from any
// open stage (stageMachine). Each stage entered is a row of the stage history with
// its time and actor; follow-ups (call, visit, meeting, email) are kept beside it. The
// funnel of a mall and period is a pure function (ComputeFunnel) of the stage history of
// the prospects created in the period: the service only loads the rows. Prospects are
// per mall: leasing staff and admins covering the mall read and move them.
package brands

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the brands context is built from; all are required.
type Deps struct {
	DB      *storage.DB
	Org     *org.Service    // groups and malls (access checks), staff grants (a prospect's owner)
	Objects storage.Objects // brand attachments
	Now     func() time.Time
}

// Service is the brands context.
type Service struct {
	db      *storage.DB
	org     *org.Service
	objects storage.Objects
	now     func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("brands", d)
	return &Service{db: d.DB, org: d.Org, objects: d.Objects, now: d.Now}
}

// Who may do what: leasing staff and admins prepare brands and prospects; every
// non-merchant staff role reads the library of its group.
var (
	prepareRoles = []auth.Role{auth.RoleAdmin, auth.RoleLeasing}
	readRoles    = []auth.Role{auth.RoleAdmin, auth.RoleLeasing, auth.RoleFinance, auth.RoleMemberOps,
		auth.RoleServiceDesk, auth.RoleMaintenance, auth.RoleSecurity}
)

// inGroup checks that the caller is staff holding one of roles on some unit of group
// (a group, region, mall or merchant grant all lie in a group).
func (s *Service) inGroup(ctx context.Context, groupID uuid.UUID, roles []auth.Role) error {
	v, err := access.Staff(ctx, roles...)
	if err != nil {
		return err
	}
	var grants []auth.Grant
	for _, g := range v.Grants {
		if slices.Contains(roles, g.Role) {
			grants = append(grants, g)
		}
	}
	groups, err := s.org.GroupsOf(ctx, nil, grants)
	if err != nil {
		return err
	}
	if !slices.Contains(groups, groupID) {
		return errs.ErrForbidden
	}
	return nil
}

// atMall checks that the caller is leasing staff or an admin covering the mall (an
// unknown mall is FORBIDDEN, as for a mall of another group) and returns its place.
func (s *Service) atMall(ctx context.Context, mallID uuid.UUID) (org.Place, error) {
	if _, err := access.Staff(ctx, prepareRoles...); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), prepareRoles...)
}

// actor is the calling staff member's id for the records kept per change (nil for the
// seed and jobs, which run as a system viewer without an id).
func actor(ctx context.Context) *uuid.UUID {
	v := auth.ViewerFrom(ctx)
	if !v.IsStaff() || v.ID == uuid.Nil {
		return nil
	}
	id := v.ID
	return &id
}
