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
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
)

// Booking is a member's booking of a slot, with its redemption code.
type Booking struct {
	ID         uuid.UUID
	SlotID     uuid.UUID
	MemberID   uuid.UUID
	Status     string // booked | used | cancelled | no_show
	LateCancel bool   // cancelled after the free-cancellation deadline
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
func (s *Service) CreatePaidBooking(ctx context.Context, slotID uuid.UUID, pay Payment, idempotencyKey string) (Booking, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return Booking{}, errs.ErrForbidden
	}
	var request any = slotID
	if pay != "" {
		request = struct {
			Slot uuid.UUID
			Pay  Payment
		}{slotID, pay}
	}
	chargeKey := "bookings.charge:" + v.ID.String() + ":" + idempotencyKey
	var b Booking
	err := s.db.InTx(ctx, func(tx pgx.Tx) (err error) {
		b, _, err = storage.Idempotent(ctx, tx, "bookings.create:"+v.ID.String(), idempotencyKey, request,
			func() (Booking, error) { return s.bookTx(ctx, tx, slotID, v.ID, pay, chargeKey) })
		return err
	})
	if errors.Is(err, storage.ErrIdempotencyMismatch) {
		return b, errs.ErrIdempotencyKey
	}
	return b, err
}

func (s *Service) bookTx(ctx context.Context, tx pgx.Tx, slotID, member uuid.UUID, pay Payment, chargeKey string) (Booking, error) {
	now := s.now()
	var (
		mallID        uuid.UUID
		starts, ends  time.Time
		booked, capac int
		pricePoints   int
		priceAmount   decimal.Decimal
	)
	err := tx.QueryRow(ctx, `UPDATE booking_slots s SET booked = booked + 1 FROM booking_resources r
		WHERE s.id = $1 AND r.id = s.resource_id AND s.booked < s.capacity AND s.starts_at > $2
		RETURNING r.mall_id, s.starts_at, s.ends_at, s.booked, s.capacity, r.price_points, r.price_amount`, slotID, now).
		Scan(&mallID, &starts, &ends, &booked, &capac, &pricePoints, &priceAmount)
	if errors.Is(err, pgx.ErrNoRows) {
		return Booking{}, s.whyNot(ctx, tx, slotID, now)
	}
	if err != nil {
		return Booking{}, err
	}
	b := Booking{ID: service.NewID(), SlotID: slotID, MemberID: member, Status: "booked", CreatedAt: now}
	_, err = tx.Exec(ctx, `INSERT INTO bookings (id, slot_id, member_id, created_at) VALUES ($1, $2, $3, $4)`,
		b.ID, slotID, member, now)
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return b, ErrAlreadyBooked
	}
	if err != nil {
		return b, err
	}
	if err := s.chargeTx(ctx, tx, &b, pay, pricePoints, priceAmount, chargeKey); err != nil {
		return b, err
	}
	code, err := s.codes.IssueTx(ctx, tx, redemption.IssueInput{Kind: redemption.KindBooking, SubjectID: b.ID,
		MemberID: member, MallID: mallID, ValidFrom: starts.Add(-time.Hour), ValidUntil: ends})
	b.CodeID, b.Numeric, b.Token = code.ID, code.Numeric, code.Token
	return b, err
}

func (s *Service) whyNot(ctx context.Context, tx pgx.Tx, slotID uuid.UUID, now time.Time) error {
	var starts time.Time
	if err := tx.QueryRow(ctx, `SELECT starts_at FROM booking_slots WHERE id = $1`, slotID).Scan(&starts); err != nil {
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
// It returns the cancelled booking as Booking reads it.
func (s *Service) CancelBooking(ctx context.Context, bookingID uuid.UUID) (Booking, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return Booking{}, errs.ErrForbidden
	}
	now := s.now()
	b := Booking{ID: bookingID, MemberID: v.ID, Status: "cancelled"}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE bookings b SET status = 'cancelled', cancelled_at = $3,
			late_cancel = $3 > s.starts_at - make_interval(hours => r.free_cancel_hours)
			FROM booking_slots s JOIN booking_resources r ON r.id = s.resource_id
			WHERE b.id = $1 AND b.member_id = $2 AND b.status = 'booked' AND s.id = b.slot_id AND s.starts_at > $3
			RETURNING b.slot_id, b.late_cancel`, bookingID, v.ID, now).Scan(&b.SlotID, &b.LateCancel)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotCancellable
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE booking_slots SET booked = booked - 1 WHERE id = $1`, b.SlotID); err != nil {
			return err
		}
		if !b.LateCancel {
			if err := s.refundTx(ctx, tx, bookingID); err != nil {
				return err
			}
		}
		return s.codes.SetStatusTx(ctx, tx, redemption.KindBooking, bookingID, "revoked")
	})
	if err != nil {
		return b, err
	}
	return s.Booking(ctx, bookingID)
}

// MarkNoShows marks bookings whose slot ended before now without a redemption as
// no-shows and revokes their codes; it returns how many. Run it from a periodic job.
func (s *Service) MarkNoShows(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE bookings b SET status = 'no_show' FROM booking_slots s
			WHERE s.id = b.slot_id AND b.status = 'booked' AND s.ends_at <= $1 RETURNING b.id`, now)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.codes.SetStatusTx(ctx, tx, redemption.KindBooking, id, "revoked"); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// Booking returns a booking with its code; shoppers see only their own.
func (s *Service) Booking(ctx context.Context, id uuid.UUID) (Booking, error) {
	b, err := scanBooking(s.db.Pool.QueryRow(ctx, `SELECT `+bookingCols+` FROM bookings WHERE id = $1`, id))
	if err != nil {
		return Booking{}, errs.ErrNotFound.Msgf("booking not found")
	}
	code, err := s.codes.CodeOf(ctx, redemption.KindBooking, id)
	if v := auth.ViewerFrom(ctx); !(v.IsShopper() && v.ID == b.MemberID) && (err != nil || s.codes.CanReadMall(ctx, code.MallID) != nil) {
		return Booking{}, errs.ErrNotFound.Msgf("booking not found")
	}
	b.CodeID, b.Numeric, b.Token = code.ID, code.Numeric, code.Token
	return b, err
}

const bookingCols = `id, slot_id, member_id, status, late_cancel, paid_with, paid_points, paid_amount, created_at`

func scanBooking(row pgx.Row) (Booking, error) {
	var b Booking
	var paidWith *string
	err := row.Scan(&b.ID, &b.SlotID, &b.MemberID, &b.Status, &b.LateCancel, &paidWith, &b.PricePoints,
		&b.PriceAmount, &b.CreatedAt)
	if paidWith != nil {
		b.PaidWith = Payment(*paidWith)
	}
	return b, err
}
