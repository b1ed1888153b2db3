package members

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
)

// ShopperLogin returns the member behind a verified WeChat login (identity calls it
// after WeChat confirmed the code; no access check): found by openid, else by unionid
// (the same person in another app of the group), else a new identity row — concurrent
// first logins create one row. It records the login time and fills in a missing
// openid or unionid. The caller refuses a status other than MemberActive.
func (s *Service) ShopperLogin(ctx context.Context, openID, unionID string) (uuid.UUID, MemberStatus, error) {
	q := queries.New(s.db.Pool)
	r, err := q.FindShopper(ctx, queries.FindShopperParams{Openid: openID, Unionid: unionID, NewID: service.NewID()})
	if err != nil {
		return uuid.Nil, "", fmt.Errorf("find or create shopper: %w", err)
	}
	err = q.TouchShopperLogin(ctx, queries.TouchShopperLoginParams{Openid: openID, Unionid: unionID, ID: r.ID})
	if err != nil {
		return uuid.Nil, "", fmt.Errorf("record shopper login: %w", err)
	}
	return r.ID, MemberStatus(r.Status), nil
}
