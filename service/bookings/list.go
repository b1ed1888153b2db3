package bookings

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// MaxSlotRange is the longest window Slots lists at once.
const MaxSlotRange = 31 * 24 * time.Hour

const (
	resourceCols = `r.id, r.mall_id, r.name, r.kind, r.free_cancel_hours, r.price_points, r.price_amount`
	slotCols     = `s.id, s.resource_id, s.starts_at, s.ends_at, s.capacity, s.booked`
)

func scanResource(row pgx.Row) (Resource, error) {
	var r Resource
	err := row.Scan(&r.ID, &r.MallID, &r.Name, &r.Kind, &r.FreeCancelHours, &r.PricePoints, &r.PriceAmount)
	return r, storage.MapError(err)
}

func scanSlot(row pgx.Row) (Slot, error) {
	var s Slot
	err := row.Scan(&s.ID, &s.ResourceID, &s.StartsAt, &s.EndsAt, &s.Capacity, &s.Booked)
	return s, storage.MapError(err)
}

// canRead lets any shopper (they browse what to book) and the staff of the mall read a
// mall's resources and slots: staff with any role covering the mall, or staff of one of
// its merchants.
func (s *Service) canRead(ctx context.Context, mallID uuid.UUID) error {
	v := auth.ViewerFrom(ctx)
	switch {
	case v.IsShopper():
		return nil
	case !v.IsStaff():
		return errs.ErrForbidden
	}
	ref, err := s.org.MallRef(ctx, mallID)
	if err != nil {
		return err
	}
	if v.Can(ref) {
		return nil
	}
	return s.codes.CanReadMall(ctx, mallID)
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
	r, err := scanResource(s.db.Pool.QueryRow(ctx, `SELECT `+resourceCols+` FROM booking_resources r WHERE r.id = $1`, id))
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
	rows, err := s.db.Pool.Query(ctx, `SELECT `+resourceCols+` FROM booking_resources r
		WHERE r.mall_id = $1 ORDER BY r.id`, mallID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Resource, error) { return scanResource(r) })
}

// Slot returns a slot of a resource the viewer may read; others are not found.
func (s *Service) Slot(ctx context.Context, id uuid.UUID) (Slot, error) {
	sl, err := scanSlot(s.db.Pool.QueryRow(ctx, `SELECT `+slotCols+` FROM booking_slots s WHERE s.id = $1`, id))
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
	rows, err := s.db.Pool.Query(ctx, `SELECT `+slotCols+` FROM booking_slots s
		WHERE s.resource_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 ORDER BY s.starts_at`, resourceID, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Slot, error) { return scanSlot(r) })
}
