package workorders

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/workorders/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// adminRoles edit calendars and policies.
var adminRoles = []auth.Role{auth.RoleAdmin}

// tenantRoles raise and follow orders for their merchant.
var tenantRoles = []auth.Role{auth.RoleTenantAdmin, auth.RoleMerchantStaff}

// mallFor reads a mall and checks the caller holds one of roles over it (an unknown mall
// is FORBIDDEN, as for any mall the caller does not cover).
func (s *Service) mallFor(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// viewer is the caller's relation to one order.
type viewer struct {
	v         *auth.Viewer
	staff     bool // staff of the order's mall (staffRoles)
	desk      bool // desk or admin of the mall
	tech      bool // MAINTENANCE or SECURITY of the mall
	requester bool // raised it (or its merchant's people did)
}

// relation reads how the caller stands to o; an order the caller may not see is
// NOT_FOUND.
func relation(ctx context.Context, o Order, p org.Place) (viewer, error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return viewer{}, err
	}
	r := viewer{v: v, staff: v.Can(p.Ref(), staffRoles...), desk: v.Can(p.Ref(), deskRoles...),
		tech: v.Can(p.Ref(), techRoles...), requester: isRequester(v, o, p)}
	if !r.staff && !r.requester {
		return r, errs.ErrNotFound.Msgf("work order not found")
	}
	return r, nil
}

// isRequester: the shopper who raised o, the staff member who did, or the people of the
// merchant it was raised for.
func isRequester(v *auth.Viewer, o Order, p org.Place) bool {
	switch {
	case v.IsShopper():
		return o.RequesterMember != nil && *o.RequesterMember == v.ID
	case o.RequesterStaff != nil && *o.RequesterStaff == v.ID:
		return true
	case o.RequesterMerchant != nil:
		ref := p.Ref()
		ref.MerchantID = *o.RequesterMerchant
		return v.Can(ref, tenantRoles...)
	}
	return false
}

// visible loads an order the caller may see, with its mall.
func (s *Service) visible(ctx context.Context, id uuid.UUID) (Order, viewer, org.Place, error) {
	row, err := queries.New(s.db.Pool).Order(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Order{}, viewer{}, org.Place{}, errs.ErrNotFound.Msgf("work order not found")
	}
	if err != nil {
		return Order{}, viewer{}, org.Place{}, err
	}
	o := orderOf(row)
	p, err := s.org.MallPlace(ctx, nil, o.MallID)
	if err != nil {
		return o, viewer{}, p, err
	}
	r, err := relation(ctx, o, p)
	return o, r, p, err
}

// merchantsOf lists the merchants the viewer works for (tenant roles).
func merchantsOf(v *auth.Viewer) []uuid.UUID {
	var out []uuid.UUID
	for _, g := range v.Grants {
		if g.Level == auth.LevelMerchant && slices.Contains(tenantRoles, g.Role) && !slices.Contains(out, g.ScopeID) {
			out = append(out, g.ScopeID)
		}
	}
	return out
}
