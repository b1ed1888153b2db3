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
	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
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
	// noShowBatch, when set (tests), replaces NoShowBatch.
	noShowBatch int
}

// Deps are what the bookings context is built from, all required.
type Deps struct {
	DB    *storage.DB
	Org   *org.Service        // malls: where a resource is, who may manage it
	Codes *redemption.Service // every booking's redemption code
	// Ledger charges paid bookings (points or stored value) and refunds them.
	Ledger *ledger.Service
	Now    func() time.Time
}

// New returns the bookings service and registers bookings with the redemption service.
func New(d Deps) *Service {
	service.MustDeps("bookings", d)
	s := &Service{db: d.DB, org: d.Org, codes: d.Codes, ledger: d.Ledger, now: d.Now}
	d.Codes.Handle(redemption.KindBooking, subject{})
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

// canManage checks that the caller may manage the resources of a mall.
func (s *Service) canManage(ctx context.Context, mallID uuid.UUID) error {
	_, err := s.org.AtMall(ctx, mallID, manageRoles...)
	return err
}

// CreateResource adds a bookable resource to a mall.
func (s *Service) CreateResource(ctx context.Context, in Resource) (Resource, error) {
	if err := validResource(&in); err != nil {
		return in, err
	}
	if err := s.canManage(ctx, in.MallID); err != nil {
		return in, err
	}
	in.ID = service.NewID()
	err := queries.New(s.db.Pool).InsertResource(ctx, queries.InsertResourceParams{ID: in.ID, MallID: in.MallID,
		Name: in.Name, Kind: in.Kind, FreeCancelHours: int32(in.FreeCancelHours), PricePoints: int32(in.PricePoints),
		PriceAmount: in.PriceAmount})
	return in, storage.MapError(err)
}

// validResource checks a new resource's fields, trimming its name and defaulting its
// kind to service.
func validResource(in *Resource) error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 200 {
		return errs.Invalid("input.name", "name must have 1 to 200 characters")
	}
	if in.FreeCancelHours < 0 || in.FreeCancelHours > 720 {
		return errs.Invalid("input.freeCancelHours", "free cancellation must be 0 to 720 hours before")
	}
	if in.PricePoints < 0 || in.PricePoints > 100000000 {
		return errs.Invalid("input.pricePoints", "the points price must be 0 to 100000000")
	}
	if in.PriceAmount.IsNegative() || !in.PriceAmount.Equal(in.PriceAmount.Round(2)) || in.PriceAmount.GreaterThan(decimal.NewFromInt(10000000)) {
		return errs.Invalid("input.priceAmount", "the stored-value price must be 0 to 10000000 in whole fen")
	}
	if in.Kind == "" {
		in.Kind = "service"
	}
	if !slices.Contains(Kinds, in.Kind) {
		return errs.Invalid("input.kind", "kind must be one of %s", strings.Join(Kinds, ", "))
	}
	return nil
}

// CreateSlot adds a time slot with capacity to a resource.
func (s *Service) CreateSlot(ctx context.Context, resourceID uuid.UUID, startsAt, endsAt time.Time, capacity int) (Slot, error) {
	if !endsAt.After(startsAt) {
		return Slot{}, errs.Invalid("input.endsAt", "the slot must end after it starts")
	}
	if capacity < 1 || capacity > 100000 {
		return Slot{}, errs.Invalid("input.capacity", "capacity must be 1 to 100000")
	}
	q := queries.New(s.db.Pool)
	mallID, err := q.ResourceMall(ctx, resourceID)
	if err != nil {
		return Slot{}, errs.ErrNotFound.Msgf("resource not found")
	}
	if err := s.canManage(ctx, mallID); err != nil {
		return Slot{}, err
	}
	sl := Slot{ID: service.NewID(), ResourceID: resourceID, StartsAt: startsAt, EndsAt: endsAt, Capacity: capacity}
	err = q.InsertSlot(ctx, queries.InsertSlotParams{ID: sl.ID, ResourceID: resourceID, StartsAt: startsAt, EndsAt: endsAt,
		Capacity: int32(capacity)})
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return sl, errs.Invalid("input.startsAt", "the resource already has a slot starting then")
	}
	return sl, err
}

// subject lets redemption mark bookings attended, and restore them on a void.
type subject struct{}

// RedeemTx marks the booking used (the member came).
func (subject) RedeemTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, _ time.Time) error {
	return move(ctx, tx, id, EventAttend)
}

// RestoreTx reopens the booking after a void.
func (subject) RestoreTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
	return move(ctx, tx, id, EventReopen)
}

// move changes booking id's status by event inside tx: the status is read under a row
// lock, the transition table decides, and the conditional UPDATE writes it.
func move(ctx context.Context, tx pgx.Tx, id uuid.UUID, event BookingEvent) error {
	q := queries.New(tx)
	from, err := q.BookingStatusForUpdate(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return errs.ErrNotFound.Msgf("booking not found")
	}
	if err != nil {
		return err
	}
	to, err := bookingStates.Next(event, BookingStatus(from))
	if err != nil {
		return err
	}
	_, err = q.SetBookingStatus(ctx, queries.SetBookingStatusParams{ID: id, FromStatus: from, ToStatus: string(to)})
	return err
}
