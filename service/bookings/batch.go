package bookings

import (
	"context"

	"github.com/google/uuid"

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
	byID := make(map[uuid.UUID]Resource, len(rows))
	for _, r := range rows {
		byID[r.ID] = resourceOf(queries.ResourceRow(r))
	}
	readable := s.mallReader(ctx)
	out, errsOut := make([]Resource, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		r, ok := byID[id]
		if !ok || !readable(r.MallID) {
			errsOut[i] = errs.ErrNotFound.Msgf("resource not found")
			continue
		}
		out[i] = r
	}
	return out, errsOut
}

// SlotsByID returns the slots of ids in order, for dataloaders, under the same rule as
// ResourcesByID (a slot is readable when its resource's mall is).
func (s *Service) SlotsByID(ctx context.Context, ids []uuid.UUID) ([]Slot, []error) {
	rows, err := queries.New(s.db.Pool).SlotsByID(ctx, ids)
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	type slotIn struct {
		Slot
		mall uuid.UUID
	}
	byID := make(map[uuid.UUID]slotIn, len(rows))
	for _, r := range rows {
		byID[r.ID] = slotIn{Slot: slotOf(queries.BookingSlot{ID: r.ID, ResourceID: r.ResourceID, StartsAt: r.StartsAt,
			EndsAt: r.EndsAt, Capacity: r.Capacity, Booked: r.Booked}), mall: r.MallID}
	}
	readable := s.mallReader(ctx)
	out, errsOut := make([]Slot, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		x, ok := byID[id]
		if !ok || !readable(x.mall) {
			errsOut[i] = errs.ErrNotFound.Msgf("slot not found")
			continue
		}
		out[i] = x.Slot
	}
	return out, errsOut
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
