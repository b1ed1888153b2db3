package bookings

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// OpenBooking is a member's booking still to come, as another context shows it.
type OpenBooking struct {
	ID         uuid.UUID
	SlotID     uuid.UUID
	ResourceID uuid.UUID
	StartsAt   time.Time
	EndsAt     time.Time
	Status     string
}

// OpenBookingsOf returns a member's booked slots not yet over at now, soonest first, at
// most n (exported read without an access check: the caller checks access).
func OpenBookingsOf(ctx context.Context, q storage.Querier, member uuid.UUID, now time.Time, n int) ([]OpenBooking, error) {
	rows, err := queries.New(q).OpenBookingsOfMember(ctx, queries.OpenBookingsOfMemberParams{MemberID: member, Now: now,
		Lim: int32(n)})
	out := make([]OpenBooking, len(rows))
	for i, r := range rows {
		out[i] = OpenBooking(r)
	}
	return out, err
}
