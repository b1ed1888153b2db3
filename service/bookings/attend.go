package bookings

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

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
	var (
		a      Attendance
		status string
	)
	err := tx.QueryRow(ctx, `SELECT b.id, b.status FROM bookings b
		JOIN booking_slots s ON s.id = b.slot_id JOIN booking_resources r ON r.id = s.resource_id
		WHERE r.id = $1 AND r.mall_id = $2 AND b.member_id = $3 AND b.status IN ('booked', 'used')
		AND s.starts_at - $5::interval <= $4 AND $4 < s.ends_at
		ORDER BY b.status = 'booked' DESC, s.starts_at LIMIT 1 FOR UPDATE OF b`,
		resourceID, mallID, memberID, at, AttendGrace).Scan(&a.BookingID, &status)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return Attendance{Outcome: AttendNoBooking}, nil
	case err != nil:
		return a, err
	case status == "used":
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
