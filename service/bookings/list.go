package bookings

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// MaxSlotRange is the longest window Slots lists at once.
const MaxSlotRange = 31 * 24 * time.Hour

// resourceOf converts a stored resource (every resource read returns this shape).
func resourceOf(r queries.ResourceRow) Resource {
	return Resource{ID: r.ID, MallID: r.MallID, Name: r.Name, Kind: r.Kind, FreeCancelHours: int(r.FreeCancelHours),
		PricePoints: int(r.PricePoints), PriceAmount: r.PriceAmount}
}

// slotOf converts a stored slot.
func slotOf(s queries.BookingSlot) Slot {
	return Slot{ID: s.ID, ResourceID: s.ResourceID, StartsAt: s.StartsAt, EndsAt: s.EndsAt, Capacity: int(s.Capacity),
		Booked: int(s.Booked)}
}

// canRead lets any shopper (they browse what to book) and the staff of the mall read a
// mall's resources and slots: staff with any role covering the mall, or staff of one of
// its merchants.
func (s *Service) canRead(ctx context.Context, mallID uuid.UUID) error {
	return access.ShopperOr(ctx, func() error {
		p, err := s.org.MallPlace(ctx, nil, mallID)
		if err != nil {
			return err
		}
		if access.At(ctx, p.Ref()) == nil {
			return nil
		}
		return s.codes.CanReadMall(ctx, mallID)
	})
}

// hidden reports whether err means "missing or not for this viewer": both read as not
// found, so ids of other malls' resources leak nothing.
func hidden(err error) bool {
	if errors.Is(err, storage.ErrNotFound) {
		return true
	}
	e, ok := errs.As(err)
	return ok && (e.Kind == errs.KindNotFound || e.Kind == errs.KindForbidden)
}

// Resource returns a resource the viewer may read; others are not found.
func (s *Service) Resource(ctx context.Context, id uuid.UUID) (Resource, error) {
	row, err := queries.New(s.db.Pool).Resource(ctx, id)
	err = storage.MapError(err)
	r := resourceOf(row)
	if err == nil {
		err = s.canRead(ctx, r.MallID)
	}
	if hidden(err) {
		return Resource{}, errs.ErrNotFound.Msgf("resource not found")
	}
	return r, err
}

// Resources lists a mall's resources, oldest first.
func (s *Service) Resources(ctx context.Context, mallID uuid.UUID) ([]Resource, error) {
	if err := s.canRead(ctx, mallID); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).ResourcesOfMall(ctx, mallID)
	if err != nil {
		return nil, err
	}
	out := make([]Resource, len(rows))
	for i, r := range rows {
		out[i] = resourceOf(queries.ResourceRow(r))
	}
	return out, nil
}

// Slot returns a slot of a resource the viewer may read; others are not found.
func (s *Service) Slot(ctx context.Context, id uuid.UUID) (Slot, error) {
	row, err := queries.New(s.db.Pool).Slot(ctx, id)
	err = storage.MapError(err)
	sl := slotOf(row)
	if err == nil {
		_, err = s.Resource(ctx, sl.ResourceID)
	}
	if hidden(err) {
		return Slot{}, errs.ErrNotFound.Msgf("slot not found")
	}
	return sl, err
}

// Slots lists a resource's slots starting in [from, to), by start. The window must be
// non-empty and at most MaxSlotRange long.
func (s *Service) Slots(ctx context.Context, resourceID uuid.UUID, from, to time.Time) ([]Slot, error) {
	if !to.After(from) {
		return nil, errs.Invalid("to", "to must be after from")
	}
	if to.Sub(from) > MaxSlotRange {
		return nil, errs.Invalid("to", "the range must be at most 31 days")
	}
	if _, err := s.Resource(ctx, resourceID); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).SlotsOfResource(ctx, queries.SlotsOfResourceParams{ResourceID: resourceID,
		FromAt: from, ToAt: to})
	if err != nil {
		return nil, err
	}
	out := make([]Slot, len(rows))
	for i, r := range rows {
		out[i] = slotOf(r)
	}
	return out, nil
}
