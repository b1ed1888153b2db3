package bookings

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
	"github.com/atrium-mall/atrium/service/redemption"
)

// AttendGrace is how long before its slot starts a booking can be redeemed by a swipe at
// the resource's card reader (a member arriving a little early gets in).
const AttendGrace = 15 * time.Minute

// Outcomes of a swipe at a resource's reader.
const (
	AttendRedeemed        = "redeemed"         // the booking was redeemed by this swipe
	AttendAlreadyRedeemed = "already_redeemed" // it was redeemed before (a scan or an earlier swipe)
	AttendNoBooking       = "no_booking"       // the member has no open booking of a current slot
	AttendNotRedeemable   = "not_redeemable"   // the booking's code is revoked or outside its validity
)

// Attendance is what a swipe at a resource's reader did.
type Attendance struct {
	Outcome    string
	BookingID  uuid.UUID
	Redemption redemption.Redemption // when Outcome is AttendRedeemed
}

// AttendTx redeems, inside tx, the member's booking of resourceID (a resource of mallID)
// whose slot contains at (from AttendGrace before its start until its end). It takes the
// redemption path of a staff scan, so the booking is redeemed exactly once however many
// swipes and scans race; a booking already used is reported, not redeemed again.
func (s *Service) AttendTx(ctx context.Context, tx pgx.Tx, mallID, resourceID, memberID uuid.UUID, at time.Time) (Attendance, error) {
	var a Attendance
	row, err := queries.New(tx).OpenBookingAt(ctx, queries.OpenBookingAtParams{ResourceID: resourceID, MallID: mallID,
		MemberID: memberID, Statuses: []string{string(BookingBooked), string(BookingUsed)},
		OpenStatus: string(BookingBooked), Grace: AttendGrace, At: at})
	a.BookingID = row.ID
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return Attendance{Outcome: AttendNoBooking}, nil
	case err != nil:
		return a, err
	case BookingStatus(row.Status) == BookingUsed:
		a.Outcome = AttendAlreadyRedeemed
		return a, nil
	}
	a.Redemption, err = s.codes.RedeemSubjectTx(ctx, tx, redemption.KindBooking, a.BookingID, at)
	switch {
	case errors.Is(err, redemption.ErrCodeUsed):
		a.Outcome = AttendAlreadyRedeemed
		return a, nil
	case errors.Is(err, redemption.ErrCodeRevoked), errors.Is(err, redemption.ErrCodeExpired),
		errors.Is(err, redemption.ErrCodeNotYetValid):
		a.Outcome = AttendNotRedeemable
		return a, nil
	case err != nil:
		return a, err
	}
	a.Outcome = AttendRedeemed
	return a, nil
}

// PublishAttended tells the member their booking was redeemed (after the commit).
func (s *Service) PublishAttended(ctx context.Context, a Attendance) {
	if a.Outcome == AttendRedeemed {
		s.codes.PublishRedeemed(ctx, a.Redemption)
	}
}
