package arrivals

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/storage"
)

// SubscribeVIP streams a mall's VIP arrivals, as they are announced, to its staff
// (admin, member ops, service desk, security of the mall). The channel closes when ctx
// ends.
func (s *Service) SubscribeVIP(ctx context.Context, mallID uuid.UUID) (<-chan Arrival, error) {
	if _, err := s.authorize(ctx, mallID, staffRoles...); err != nil {
		return nil, err
	}
	return storage.SubscribeJSON[Arrival](ctx, *s.redis, VIPChannel(*s.redis, mallID.String()), 0, nil)
}
