// Package access is the one owner of authorization decisions that every context makes:
// who the caller is (a shopper, a staff account, nobody) and whether a staff account
// holds a role over a place. UNAUTHENTICATED versus FORBIDDEN is decided here, once:
// no viewer at all is UNAUTHENTICATED; a viewer of the wrong kind, or staff without a
// covering grant, is FORBIDDEN.
//
// Contexts keep their own role lists (who may manage coupons, who may redeem) and
// their own lookups of where a resource sits (auth.OrgRef); the checks are these.
package access

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
)

// Viewer returns the caller, or UNAUTHENTICATED when the request carries none.
func Viewer(ctx context.Context) (*auth.Viewer, error) {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return nil, errs.ErrUnauthenticated
	}
	return v, nil
}

// Shopper returns the calling shopper's member id: UNAUTHENTICATED without a viewer,
// FORBIDDEN for a staff account.
func Shopper(ctx context.Context) (uuid.UUID, error) {
	v, err := Viewer(ctx)
	if err != nil {
		return uuid.Nil, err
	}
	if !v.IsShopper() {
		return uuid.Nil, errs.ErrForbidden
	}
	return v.ID, nil
}

// Staff returns the calling staff account: UNAUTHENTICATED without a viewer, FORBIDDEN
// for a shopper. With roles, the account must also hold one of them somewhere.
func Staff(ctx context.Context, roles ...auth.Role) (*auth.Viewer, error) {
	v, err := Viewer(ctx)
	if err != nil {
		return nil, err
	}
	if !v.IsStaff() || (len(roles) > 0 && !v.HasRole(roles...)) {
		return nil, errs.ErrForbidden
	}
	return v, nil
}

// ShopperOr lets any shopper through (reads every shopper may make: the mall directory,
// what there is to book or join) and checks a staff caller with staff: UNAUTHENTICATED
// without a viewer, FORBIDDEN for a viewer that is neither.
func ShopperOr(ctx context.Context, staff func() error) error {
	v, err := Viewer(ctx)
	if err != nil || v.IsShopper() {
		return err
	}
	if !v.IsStaff() {
		return errs.ErrForbidden
	}
	return staff()
}

// At checks that the caller is staff holding one of roles (any role when none are
// given) with a grant covering ref.
func At(ctx context.Context, ref auth.OrgRef, roles ...auth.Role) error {
	v, err := Viewer(ctx)
	if err != nil {
		return err
	}
	if !v.Can(ref, roles...) {
		return errs.ErrForbidden
	}
	return nil
}

// Actor names the caller for records kept per caller (idempotency keys, audit): the
// staff or member id with its kind, or "system" for jobs and device events, which run
// without a viewer.
func Actor(ctx context.Context) string {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return "system"
	}
	return string(v.Kind) + ":" + v.ID.String()
}
