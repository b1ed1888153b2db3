package redemption

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
)

// mallRoles may redeem any code of a mall they cover.
var mallRoles = []auth.Role{auth.RoleAdmin, auth.RoleServiceDesk, auth.RoleMemberOps}

// scope checks that staff v may redeem c and returns the merchant it is redeemed at
// (uuid.Nil for mall-level staff). Merchant staff redeem only codes valid at their shop.
func (s *Service) scope(ctx context.Context, v *auth.Viewer, c Code) (uuid.UUID, error) {
	if !v.IsStaff() {
		return uuid.Nil, errs.ErrForbidden
	}
	mallRef, err := s.org.MallRef(ctx, c.MallID)
	if err != nil {
		return uuid.Nil, err
	}
	if v.Can(mallRef, mallRoles...) {
		return uuid.Nil, nil
	}
	other := false
	for _, g := range v.Grants {
		if g.Role != auth.RoleMerchantStaff || g.Level != auth.LevelMerchant {
			continue
		}
		ref, err := s.org.MerchantRef(ctx, g.ScopeID)
		if errors.Is(err, errs.ErrNotFound) {
			continue
		}
		if err != nil {
			return uuid.Nil, err
		}
		if ref.MallID == c.MallID && (len(c.MerchantIDs) == 0 || slices.Contains(c.MerchantIDs, g.ScopeID)) &&
			v.Can(ref, auth.RoleMerchantStaff) {
			return g.ScopeID, nil
		}
		other = true
	}
	if other {
		return uuid.Nil, ErrOtherMerchant
	}
	return uuid.Nil, errs.ErrForbidden
}

// CanReadMall lets the mall's staff and the staff of its merchants read the mall's
// redemption data (the offline change feed).
func (s *Service) CanReadMall(ctx context.Context, mallID uuid.UUID) error {
	v := auth.ViewerFrom(ctx)
	if !v.IsStaff() {
		return errs.ErrForbidden
	}
	ref, err := s.org.MallRef(ctx, mallID)
	if err != nil {
		return err
	}
	if v.Can(ref, mallRoles...) {
		return nil
	}
	for _, g := range v.Grants {
		if g.Role != auth.RoleMerchantStaff || g.Level != auth.LevelMerchant {
			continue
		}
		if mref, err := s.org.MerchantRef(ctx, g.ScopeID); err == nil && mref.MallID == mallID {
			return nil
		}
	}
	return errs.ErrForbidden
}
