package bookings

import (
	"context"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
)

// ResourcesByID returns the resources of ids in order, for dataloaders: each entry is
// the resource or a not-found error (missing, or of a mall the viewer may not read).
func (s *Service) ResourcesByID(ctx context.Context, ids []uuid.UUID) ([]Resource, []error) {
	rows, err := queries.New(s.db.Pool).ResourcesByID(ctx, ids)
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	resources := make([]Resource, len(rows))
	for i, r := range rows {
		resources[i] = resourceOf(queries.ResourceRow(r))
	}
	return inReadableOrder(ids, resources, func(r Resource) uuid.UUID { return r.ID },
		func(r Resource) uuid.UUID { return r.MallID }, s.mallReader(ctx), errs.ErrNotFound.Msgf("resource not found"))
}

// SlotsByID returns the slots of ids in order, for dataloaders, under the same rule as
// ResourcesByID (a slot is readable when its resource's mall is).
func (s *Service) SlotsByID(ctx context.Context, ids []uuid.UUID) ([]Slot, []error) {
	rows, err := queries.New(s.db.Pool).SlotsByID(ctx, ids)
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	slots, malls := make([]Slot, len(rows)), make(map[uuid.UUID]uuid.UUID, len(rows))
	for i, r := range rows {
		slots[i] = slotOf(queries.BookingSlot{ID: r.ID, ResourceID: r.ResourceID, StartsAt: r.StartsAt,
			EndsAt: r.EndsAt, Capacity: r.Capacity, Booked: r.Booked})
		malls[r.ID] = r.MallID
	}
	return inReadableOrder(ids, slots, func(sl Slot) uuid.UUID { return sl.ID },
		func(sl Slot) uuid.UUID { return malls[sl.ID] }, s.mallReader(ctx), errs.ErrNotFound.Msgf("slot not found"))
}

// inReadableOrder is service.InOrder where an item of a mall the viewer may not read
// (readable) is not found either.
func inReadableOrder[T any](ids []uuid.UUID, found []T, idOf, mallOf func(T) uuid.UUID, readable func(uuid.UUID) bool,
	notFound error) ([]T, []error) {
	return service.InOrder(ids, found, idOf, func(x T) error {
		if !readable(mallOf(x)) {
			return notFound
		}
		return nil
	}, notFound)
}

// mallReader answers canRead once per mall for one batch.
func (s *Service) mallReader(ctx context.Context) func(uuid.UUID) bool {
	seen := map[uuid.UUID]bool{}
	return func(mall uuid.UUID) bool {
		ok, done := seen[mall]
		if !done {
			ok = s.canRead(ctx, mall) == nil
			seen[mall] = ok
		}
		return ok
	}
}
