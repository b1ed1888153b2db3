package resolvers

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/errs"
)

type nodeFetcher func(ctx context.Context, id uuid.UUID) (relay.Node, error)

// fetchers maps a global ID's type name to the service call that loads (and
// authorizes) it. A new context adds its Node types here.
func (r *Resolver) fetchers() map[string]nodeFetcher {
	return map[string]nodeFetcher{
		"Group":    func(ctx context.Context, id uuid.UUID) (relay.Node, error) { return r.Org.Group(ctx, id) },
		"Region":   func(ctx context.Context, id uuid.UUID) (relay.Node, error) { return r.Org.Region(ctx, id) },
		"Mall":     func(ctx context.Context, id uuid.UUID) (relay.Node, error) { return r.Org.Mall(ctx, id) },
		"Merchant": func(ctx context.Context, id uuid.UUID) (relay.Node, error) { return r.Org.Merchant(ctx, id) },
		"Staff":    func(ctx context.Context, id uuid.UUID) (relay.Node, error) { return r.Org.StaffMember(ctx, id) },
		"Member":   func(ctx context.Context, id uuid.UUID) (relay.Node, error) { return r.Members.Member(ctx, id) },
		"Card":     func(ctx context.Context, id uuid.UUID) (relay.Node, error) { return r.Members.Card(ctx, id) },
		"CardType": func(ctx context.Context, id uuid.UUID) (relay.Node, error) { return r.Members.CardType(ctx, id) },
		"Tier":     func(ctx context.Context, id uuid.UUID) (relay.Node, error) { return r.Loyalty.Tier(ctx, id) },
		"BookableResource": func(ctx context.Context, id uuid.UUID) (relay.Node, error) {
			res, err := r.Bookings.Resource(ctx, id)
			return resourceOut(res), err
		},
		"BookingSlot": func(ctx context.Context, id uuid.UUID) (relay.Node, error) {
			s, err := r.Bookings.Slot(ctx, id)
			return slotOut(s), err
		},
	}
}

// node loads any object by global ID through its service, so authorization is the
// same as for every other path to it.
func (r *Resolver) node(ctx context.Context, global string) (relay.Node, error) {
	typeName, id, err := relay.Parse(global)
	if err != nil {
		return nil, errs.Invalid("id", "malformed global ID")
	}
	fetch, ok := r.fetchers()[typeName]
	if !ok {
		return nil, errs.ErrNotFound
	}
	n, err := fetch(ctx, id)
	if err != nil {
		return nil, err
	}
	return n, nil
}
