package redemption

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
)

// mallRoles may redeem any code of a mall they cover.
var mallRoles = []auth.Role{auth.RoleAdmin, auth.RoleServiceDesk, auth.RoleMemberOps}

// reportRoles may read a mall's redemption reports.
var reportRoles = []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleMemberOps}

// scope checks that staff v may redeem c and returns the merchant it is redeemed at
// (uuid.Nil for mall-level staff). Merchant staff redeem only codes valid at their shop.
func (s *Service) scope(ctx context.Context, v *auth.Viewer, c Code) (uuid.UUID, error) {
	merchantID, _, err := s.scopeAt(ctx, v, c)
	return merchantID, err
}

// scopeAt is scope that also returns the code's mall as read for the check.
func (s *Service) scopeAt(ctx context.Context, v *auth.Viewer, c Code) (uuid.UUID, org.Place, error) {
	mall, err := s.org.MallPlace(ctx, nil, c.MallID)
	if err != nil {
		return uuid.Nil, mall, err
	}
	merchantID, err := s.scopeIn(ctx, v, c, mall)
	return merchantID, mall, err
}

// scopeIn is scope once the code's mall is read.
func (s *Service) scopeIn(ctx context.Context, v *auth.Viewer, c Code, mall org.Place) (uuid.UUID, error) {
	if access.At(ctx, mall.Ref(), mallRoles...) == nil {
		return uuid.Nil, nil
	}
	other := false
	for _, id := range merchantGrants(v) {
		shop, err := s.org.MerchantPlace(ctx, nil, id)
		if errors.Is(err, errs.ErrNotFound) {
			continue
		}
		if err != nil {
			return uuid.Nil, err
		}
		if shop.MallID == c.MallID && (len(c.MerchantIDs) == 0 || slices.Contains(c.MerchantIDs, id)) &&
			access.At(ctx, shop.Ref(), auth.RoleMerchantStaff) == nil {
			return id, nil
		}
		other = true
	}
	if other {
		return uuid.Nil, ErrOtherMerchant
	}
	return uuid.Nil, errs.ErrForbidden
}

// merchantGrants lists the merchants v is merchant staff of.
func merchantGrants(v *auth.Viewer) []uuid.UUID {
	var out []uuid.UUID
	for _, g := range v.Grants {
		if g.Role == auth.RoleMerchantStaff && g.Level == auth.LevelMerchant {
			out = append(out, g.ScopeID)
		}
	}
	return out
}

// CanReadMall lets the mall's staff and the staff of its merchants read the mall's
// redemption data (the offline change feed).
func (s *Service) CanReadMall(ctx context.Context, mallID uuid.UUID) error {
	v, err := access.Staff(ctx)
	if err != nil {
		return err
	}
	mall, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return err
	}
	if access.At(ctx, mall.Ref(), mallRoles...) == nil {
		return nil
	}
	for _, id := range merchantGrants(v) {
		if shop, err := s.org.MerchantPlace(ctx, nil, id); err == nil && shop.MallID == mallID {
			return nil
		}
	}
	return errs.ErrForbidden
}
