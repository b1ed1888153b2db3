package identity

import (
	"context"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
)

// Long-lived connections (GraphQL subscriptions over a websocket) authenticate once, at
// connect; these let them re-check while they stay open, so that a logout or an expired
// token reaches them too (issue 10, point 2).

// Recheck tells whether viewer v, authenticated from bearer, still holds: the token has
// not expired, its session is not revoked (errs.KindUnauthenticated otherwise) and a
// staff account still has the grants v carries (errs.ErrForbidden when they changed).
// Other errors (Redis or PostgreSQL unavailable) say nothing either way.
func (s *Service) Recheck(ctx context.Context, bearer string, v *auth.Viewer) error {
	claims, err := s.tokens.Verify(bearer)
	if err != nil {
		return errs.ErrUnauthenticated.Msgf("%v", err)
	}
	if claims.SessionID != v.SessionID || claims.Subject != v.ID.String() {
		return errs.ErrUnauthenticated.Msgf("token does not match the connection's viewer")
	}
	alive, err := s.sessions.Alive(ctx, claims.SessionID)
	if err != nil {
		return err
	}
	if !alive {
		return errs.ErrUnauthenticated.Msgf("session revoked or expired")
	}
	if v.Kind != auth.KindStaff {
		return nil
	}
	grants, err := s.org.Grants(ctx, v.ID)
	if err != nil {
		return err
	}
	if !sameGrants(grants, v.Grants) {
		return errs.ErrForbidden.Msgf("the account's roles changed")
	}
	return nil
}

func sameGrants(a, b []auth.Grant) bool {
	if len(a) != len(b) {
		return false
	}
	set := make(map[auth.Grant]int, len(a))
	for _, g := range a {
		set[g]++
	}
	for _, g := range b {
		if set[g] == 0 {
			return false
		}
		set[g]--
	}
	return true
}

// Expiry returns when bearer expires.
func (s *Service) Expiry(bearer string) (time.Time, error) {
	claims, err := s.tokens.Verify(bearer)
	if err != nil {
		return time.Time{}, errs.ErrUnauthenticated.Msgf("%v", err)
	}
	return claims.ExpiresAt.Time, nil
}

// OnRevoke calls notice (which must not block) as soon as v's session is revoked, on
// any replica, until ctx ends: a hint to Recheck at once rather than at the next
// periodic check (auth.Sessions.OnRevoke).
func (s *Service) OnRevoke(ctx context.Context, v *auth.Viewer, notice func()) error {
	return s.sessions.OnRevoke(ctx, v.SessionID, notice)
}
