// Package bookings is bookable services and resources of a mall (VIP lounge, parking
// spaces, event seats, paid services): time slots with capacity, bookings that never
// overbook, cancellation rules, no-shows, and a redemption code for every booking.
package bookings

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
)

// Business outcomes of bookings.
var (
	ErrSlotFull       = errs.New(errs.KindUser, "SLOT_FULL", "the time slot is fully booked")
	ErrSlotStarted    = errs.New(errs.KindUser, "SLOT_STARTED", "the time slot has already started")
	ErrAlreadyBooked  = errs.New(errs.KindUser, "ALREADY_BOOKED", "you already booked this slot")
	ErrNotCancellable = errs.New(errs.KindUser, "BOOKING_NOT_CANCELLABLE", "the booking can no longer be cancelled")
)

// Service is the bookings context.
type Service struct {
	db     *storage.DB
	org    *org.Service
	codes  *redemption.Service
	ledger *ledger.Service
	now    func() time.Time
}

// New returns the bookings service and registers bookings with the redemption service.
func New(db *storage.DB, orgs *org.Service, codes *redemption.Service, now func() time.Time) *Service {
	s := &Service{db: db, org: orgs, codes: codes, now: now}
	codes.Handle(redemption.KindBooking, subject{})
	return s
}

// Resource is something members book.
type Resource struct {
	ID              uuid.UUID
	MallID          uuid.UUID
	Name            string
	Kind            string          // lounge | parking | event | service
	FreeCancelHours int             // cancellation is free until this many hours before the slot
	PricePoints     int             // points a booking costs (0: not payable with points)
	PriceAmount     decimal.Decimal // stored value (CNY) a booking costs (0: not payable so)
}

// Slot is a time slot of a resource.
type Slot struct {
	ID         uuid.UUID
	ResourceID uuid.UUID
	StartsAt   time.Time
	EndsAt     time.Time
	Capacity   int
	Booked     int
}

// Kinds are the kinds of resources.
var Kinds = []string{"lounge", "parking", "event", "service"}

var manageRoles = []auth.Role{auth.RoleAdmin, auth.RoleServiceDesk, auth.RoleMemberOps}

func (s *Service) canManage(ctx context.Context, mallID uuid.UUID) error {
	v := auth.ViewerFrom(ctx)
	ref, err := s.org.MallRef(ctx, mallID)
	if err != nil {
		return err
	}
	if !v.Can(ref, manageRoles...) {
		return errs.ErrForbidden
	}
	return nil
}

// CreateResource adds a bookable resource to a mall.
func (s *Service) CreateResource(ctx context.Context, in Resource) (Resource, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 200 {
		return in, errs.Invalid("input.name", "name must have 1 to 200 characters")
	}
	if in.FreeCancelHours < 0 || in.FreeCancelHours > 720 {
		return in, errs.Invalid("input.freeCancelHours", "free cancellation must be 0 to 720 hours before")
	}
	if in.PricePoints < 0 || in.PricePoints > 100000000 {
		return in, errs.Invalid("input.pricePoints", "the points price must be 0 to 100000000")
	}
	if in.PriceAmount.IsNegative() || !in.PriceAmount.Equal(in.PriceAmount.Round(2)) || in.PriceAmount.GreaterThan(decimal.NewFromInt(10000000)) {
		return in, errs.Invalid("input.priceAmount", "the stored-value price must be 0 to 10000000 in whole fen")
	}
	if in.Kind == "" {
		in.Kind = "service"
	}
	if !slices.Contains(Kinds, in.Kind) {
		return in, errs.Invalid("input.kind", "kind must be one of %s", strings.Join(Kinds, ", "))
	}
	if err := s.canManage(ctx, in.MallID); err != nil {
		return in, err
	}
	in.ID = service.NewID()
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO booking_resources (id, mall_id, name, kind, free_cancel_hours,
		price_points, price_amount) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		in.ID, in.MallID, in.Name, in.Kind, in.FreeCancelHours, in.PricePoints, in.PriceAmount)
	return in, storage.MapError(err)
}

// CreateSlot adds a time slot with capacity to a resource.
func (s *Service) CreateSlot(ctx context.Context, resourceID uuid.UUID, startsAt, endsAt time.Time, capacity int) (Slot, error) {
	if !endsAt.After(startsAt) {
		return Slot{}, errs.Invalid("input.endsAt", "the slot must end after it starts")
	}
	if capacity < 1 || capacity > 100000 {
		return Slot{}, errs.Invalid("input.capacity", "capacity must be 1 to 100000")
	}
	var mallID uuid.UUID
	if err := s.db.Pool.QueryRow(ctx, `SELECT mall_id FROM booking_resources WHERE id = $1`, resourceID).
		Scan(&mallID); err != nil {
		return Slot{}, errs.ErrNotFound.Msgf("resource not found")
	}
	if err := s.canManage(ctx, mallID); err != nil {
		return Slot{}, err
	}
	sl := Slot{ID: service.NewID(), ResourceID: resourceID, StartsAt: startsAt, EndsAt: endsAt, Capacity: capacity}
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO booking_slots (id, resource_id, starts_at, ends_at, capacity)
		VALUES ($1, $2, $3, $4, $5)`, sl.ID, resourceID, startsAt, endsAt, capacity)
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return sl, errs.Invalid("input.startsAt", "the resource already has a slot starting then")
	}
	return sl, err
}

// subject lets redemption mark bookings attended, and restore them on a void.
type subject struct{}

// RedeemTx marks the booking used (the member came).
func (subject) RedeemTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, _ time.Time) error {
	tag, err := tx.Exec(ctx, `UPDATE bookings SET status = 'used' WHERE id = $1 AND status = 'booked'`, id)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotCancellable.Msgf("the booking is not open")
	}
	return err
}

// RestoreTx reopens the booking after a void.
func (subject) RestoreTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
	_, err := tx.Exec(ctx, `UPDATE bookings SET status = 'booked' WHERE id = $1 AND status = 'used'`, id)
	return err
}
