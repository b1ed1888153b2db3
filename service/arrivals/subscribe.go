package arrivals

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"
)

// SubscribeVIP streams a mall's VIP arrivals, as they are announced, to its staff
// (admin, member ops, service desk, security of the mall). The channel closes when ctx
// ends.
func (s *Service) SubscribeVIP(ctx context.Context, mallID uuid.UUID) (<-chan Arrival, error) {
	if _, err := s.authorize(ctx, mallID, staffRoles...); err != nil {
		return nil, err
	}
	sub := s.redis.Subscribe(ctx, VIPChannel(*s.redis, mallID.String()))
	if _, err := sub.Receive(ctx); err != nil {
		_ = sub.Close()
		return nil, err
	}
	out := make(chan Arrival)
	go func() {
		defer close(out)
		defer sub.Close() //nolint:errcheck
		msgs := sub.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				var a Arrival
				if json.Unmarshal([]byte(m.Payload), &a) != nil {
					continue
				}
				select {
				case out <- a:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}
