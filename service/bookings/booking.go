package bookings

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
)

// Booking is a member's booking of a slot, with its redemption code.
type Booking struct {
	ID         uuid.UUID
	SlotID     uuid.UUID
	MemberID   uuid.UUID
	Status     BookingStatus
	LateCancel bool // cancelled after the free-cancellation deadline
	CodeID     uuid.UUID
	Numeric    string
	Token      string
	// The charge, when the resource has a price: what it was paid with and how much.
	PaidWith    Payment // "" for a free booking
	PricePoints int
	PriceAmount decimal.Decimal
	CreatedAt   time.Time
}

// CreateBooking books one place in a slot for the shopper viewer. The slot's counter is
// taken by one conditional UPDATE (booked < capacity), so concurrent bookings never
// overbook. A repeat with the same idempotency key returns the first booking.
func (s *Service) CreateBooking(ctx context.Context, slotID uuid.UUID, idempotencyKey string) (Booking, error) {
	return s.CreatePaidBooking(ctx, slotID, "", idempotencyKey)
}

// CreatePaidBooking is CreateBooking paying with pay when the slot's resource has a
// price: the points or stored value are taken from the member's primary card in the
// booking's transaction, under a ledger key derived from the idempotency key, so a
// repeat never charges twice. A balance that is not enough fails with
// ErrInsufficientBalance and nothing is booked or posted. A free resource ignores pay.
// The key is scoped to the member and the operation "bookings.create" (service/once).
func (s *Service) CreatePaidBooking(ctx context.Context, slotID uuid.UUID, pay Payment, idempotencyKey string) (Booking, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return Booking{}, err
	}
	var args any = slotID
	if pay != "" {
		args = struct {
			Slot uuid.UUID
			Pay  Payment
		}{slotID, pay}
	}
	chargeKey := "bookings.charge:" + member.String() + ":" + idempotencyKey
	b, _, err := once.Do(ctx, s.db, once.Op[Booking]{Name: "bookings.create", Key: idempotencyKey, Args: args,
		Run: func(ctx context.Context, tx pgx.Tx) (Booking, error) {
			return s.bookTx(ctx, tx, slotID, member, pay, chargeKey)
		}})
	return b, err
}

// bookTx takes a seat of the slot, records the booking, charges it and issues its code.
func (s *Service) bookTx(ctx context.Context, tx pgx.Tx, slotID, member uuid.UUID, pay Payment, chargeKey string) (Booking, error) {
	now := s.now()
	q := queries.New(tx)
	seat, err := q.TakeSeat(ctx, slotID, now)
	if errors.Is(err, pgx.ErrNoRows) {
		return Booking{}, s.whyNot(ctx, q, slotID, now)
	}
	if err != nil {
		return Booking{}, err
	}
	b := Booking{ID: service.NewID(), SlotID: slotID, MemberID: member, Status: BookingBooked, CreatedAt: now}
	err = q.InsertBooking(ctx, queries.InsertBookingParams{ID: b.ID, SlotID: slotID, MemberID: member,
		Status: string(b.Status), CreatedAt: now})
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return b, ErrAlreadyBooked
	}
	if err != nil {
		return b, err
	}
	if err := s.chargeTx(ctx, tx, &b, pay, int(seat.PricePoints), seat.PriceAmount, chargeKey); err != nil {
		return b, err
	}
	code, err := s.codes.IssueTx(ctx, tx, redemption.IssueInput{Kind: redemption.KindBooking, SubjectID: b.ID,
		MemberID: member, MallID: seat.MallID, ValidFrom: seat.StartsAt.Add(-time.Hour), ValidUntil: seat.EndsAt})
	b.CodeID, b.Numeric, b.Token = code.ID, code.Numeric, code.Token
	return b, err
}

// whyNot explains a seat that could not be taken: a missing slot, one that started,
// or one that is full.
func (s *Service) whyNot(ctx context.Context, q *queries.Queries, slotID uuid.UUID, now time.Time) error {
	starts, err := q.SlotStart(ctx, slotID)
	if err != nil {
		return errs.ErrNotFound.Msgf("slot not found")
	}
	if !starts.After(now) {
		return ErrSlotStarted
	}
	return ErrSlotFull
}

// CancelBooking cancels the shopper viewer's booking before its slot starts, frees the
// place and revokes the code. Cancelling later than the resource's free-cancellation
// hours before the start is allowed but marked late.
//
// Refund rule for paid bookings: a free cancellation (not late) gives the whole charge
// back to the card it was paid from, by a reversing posting keyed by the booking id
// (once only). A late cancellation keeps the charge, and so does a no-show
// (MarkNoShows never refunds); an attended booking is of course not refunded.
// It returns the cancelled booking as Booking reads it. It takes no idempotency key:
// the booking's status is the guard (a second cancel is BOOKING_NOT_CANCELLABLE).
func (s *Service) CancelBooking(ctx context.Context, bookingID uuid.UUID) (Booking, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return Booking{}, err
	}
	err = s.db.InTxRetry(ctx, func(tx pgx.Tx) error { return s.cancelTx(ctx, tx, bookingID, member, s.now()) })
	if err != nil {
		return Booking{}, err
	}
	return s.Booking(ctx, bookingID)
}

// cancelTx cancels member's booking id at now inside tx (see CancelBooking).
func (s *Service) cancelTx(ctx context.Context, tx pgx.Tx, id, member uuid.UUID, now time.Time) error {
	q := queries.New(tx)
	b, err := q.BookingToCancel(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && b.MemberID != member {
		return ErrNotCancellable
	}
	if err != nil {
		return err
	}
	to, err := bookingStates.Next(EventCancel, BookingStatus(b.Status))
	if err != nil {
		return err
	}
	if !b.StartsAt.After(now) {
		return ErrNotCancellable.Msgf("the slot has already started")
	}
	late := now.After(b.StartsAt.Add(-time.Duration(b.FreeCancelHours) * time.Hour))
	_, err = q.CancelBooking(ctx, queries.CancelBookingParams{ID: id, FromStatus: b.Status, ToStatus: string(to),
		At: &now, Late: late})
	if err != nil {
		return err
	}
	if err := q.FreeSeat(ctx, b.SlotID); err != nil {
		return err
	}
	if !late {
		if err := s.refundTx(ctx, tx, id); err != nil {
			return err
		}
	}
	return s.codes.SetStatusTx(ctx, tx, redemption.KindBooking, id, "revoked")
}

// NoShowBatch is how many bookings one transaction of MarkNoShows moves.
const NoShowBatch = 1000

// MarkNoShows marks bookings whose slot ended before now without a redemption as
// no-shows and revokes their codes; it returns how many. Run it from a periodic job.
// It works in batches of NoShowBatch, each its own transaction (bookings moved with one
// UPDATE, their codes revoked with one more), so a stopped run keeps what it did and
// the next run takes the rest.
func (s *Service) MarkNoShows(ctx context.Context, now time.Time) (int, error) {
	to, err := bookingStates.Next(EventNoShow, BookingBooked)
	if err != nil {
		return 0, err
	}
	batch := NoShowBatch
	if s.noShowBatch > 0 {
		batch = s.noShowBatch
	}
	total := 0
	for {
		n := 0
		err = s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
			ids, err := queries.New(tx).MarkNoShows(ctx, queries.MarkNoShowsParams{FromStatus: string(BookingBooked),
				ToStatus: string(to), Now: now, Lim: int32(batch)})
			if err != nil {
				return err
			}
			n = len(ids)
			return s.codes.SetStatusManyTx(ctx, tx, redemption.KindBooking, ids, "revoked")
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < batch {
			return total, nil
		}
	}
}

// Booking returns a booking with its code; shoppers see only their own.
func (s *Service) Booking(ctx context.Context, id uuid.UUID) (Booking, error) {
	row, err := queries.New(s.db.Pool).Booking(ctx, id)
	if err != nil {
		return Booking{}, errs.ErrNotFound.Msgf("booking not found")
	}
	b := bookingOf(queries.MemberBookingsRow(row))
	code, err := s.codes.CodeOf(ctx, redemption.KindBooking, id)
	if v := auth.ViewerFrom(ctx); !(v.IsShopper() && v.ID == b.MemberID) && (err != nil || s.codes.CanReadMall(ctx, code.MallID) != nil) {
		return Booking{}, errs.ErrNotFound.Msgf("booking not found")
	}
	b.CodeID, b.Numeric, b.Token = code.ID, code.Numeric, code.Token
	return b, err
}

// bookingOf converts a stored booking (every booking read returns this shape).
func bookingOf(r queries.MemberBookingsRow) Booking {
	b := Booking{ID: r.ID, SlotID: r.SlotID, MemberID: r.MemberID, Status: BookingStatus(r.Status),
		LateCancel: r.LateCancel, PricePoints: int(r.PaidPoints), PriceAmount: r.PaidAmount, CreatedAt: r.CreatedAt}
	if r.PaidWith != nil {
		b.PaidWith = Payment(*r.PaidWith)
	}
	return b
}
