package arrivals

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/bookings"
)

// attend redeems, for an accepted swipe at a resource's reader, the member's booking of
// the slot under way (bookings.AttendTx: from bookings.AttendGrace before the start until
// the end), exactly once: the booking's status is the guard (a device's swipe carries
// no idempotency key). Without a booking the visit stands and nothing is redeemed.
func (s *Service) attend(ctx context.Context, tx pgx.Tx, in Swipe, v *Visit) error {
	if in.Resource == "" {
		return nil
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
