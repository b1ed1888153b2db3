package arrivals

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/errs"
)

// ErrNoBookings: a lounge reader's swipe arrived but the service has no bookings context.
var ErrNoBookings = errs.New(errs.KindInternal, "NO_BOOKINGS", "lounge readers need the bookings service")

// WithBookings lets swipes at readers bound to a bookable resource (a lounge) redeem the
// member's booking; it returns s.
func (s *Service) WithBookings(b *bookings.Service) *Service {
	s.bookings = b
	return s
}

// attend redeems, for an accepted swipe at a resource's reader, the member's booking of
// the slot under way (bookings.AttendTx: from bookings.AttendGrace before the start until
// the end), exactly once. Without a booking the visit stands and nothing is redeemed.
func (s *Service) attend(ctx context.Context, tx pgx.Tx, in Swipe, v *Visit) error {
	if in.Resource == "" {
		return nil
	}
	if s.bookings == nil {
		return ErrNoBookings
	}
	resource, err := uuid.Parse(in.Resource)
	if err != nil {
		v.Lounge = "unknown_resource"
		return nil
	}
	a, err := s.bookings.AttendTx(ctx, tx, in.MallID, resource, v.MemberID, in.At)
	if err != nil {
		return err
	}
	v.Lounge, v.BookingID = a.Outcome, a.BookingID
	if a.Outcome == bookings.AttendRedeemed {
		v.AfterCommit = func(ctx context.Context) { s.bookings.PublishAttended(ctx, a) }
	}
	return nil
}
