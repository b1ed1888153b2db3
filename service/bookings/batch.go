package bookings

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
)

// ResourcesByID returns the resources of ids in order, for dataloaders: each entry is
// the resource or a not-found error (missing, or of a mall the viewer may not read).
func (s *Service) ResourcesByID(ctx context.Context, ids []uuid.UUID) ([]Resource, []error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT `+resourceCols+` FROM booking_resources r WHERE r.id = ANY($1)`, ids)
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Resource, error) { return scanResource(r) })
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	byID := make(map[uuid.UUID]Resource, len(found))
	for _, r := range found {
		byID[r.ID] = r
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
	rows, err := s.db.Pool.Query(ctx, `SELECT `+slotCols+`, r.mall_id FROM booking_slots s
		JOIN booking_resources r ON r.id = s.resource_id WHERE s.id = ANY($1)`, ids)
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	type slotIn struct {
		Slot
		mall uuid.UUID
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (slotIn, error) {
		var x slotIn
		err := r.Scan(&x.ID, &x.ResourceID, &x.StartsAt, &x.EndsAt, &x.Capacity, &x.Booked, &x.mall)
		return x, err
	})
	if err != nil {
		return nil, errs.Each(len(ids), err)
	}
	byID := make(map[uuid.UUID]slotIn, len(found))
	for _, x := range found {
		byID[x.ID] = x
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
