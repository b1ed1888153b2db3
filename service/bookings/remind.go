package bookings

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/org"
)

// ReminderLead is how long before its slot a booking is reminded of.
const ReminderLead = 24 * time.Hour

// RemindUpcoming writes a booking_reminder, once per booking, for the bookings whose
// slot starts within ReminderLead, through the notify outbox in one transaction (a
// rerun or another replica adds nothing: the dedupe key is the booking's). It returns
// how many bookings it considered.
func (s *Service) RemindUpcoming(ctx context.Context) (int, error) {
	now := s.now()
	var n int
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := queries.New(tx).BookingsStartingBetween(ctx, now, now.Add(ReminderLead))
		if err != nil {
			return err
		}
		places := map[uuid.UUID]org.Place{}
		for _, r := range rows {
			p, ok := places[r.MallID]
			if !ok {
				if p, err = s.org.MallPlace(ctx, tx, r.MallID); err != nil {
					return err
				}
				places[r.MallID] = p
			}
			if _, err := notify.EnqueueTx(ctx, tx, notify.Event{GroupID: p.GroupID, MallID: r.MallID,
				Kind: notify.BookingReminder, RecipientKind: notify.ToMember, RecipientID: r.MemberID, At: now,
				Payload: map[string]string{"resource": r.Name,
					"starts": r.StartsAt.In(p.Loc).Format("2006-01-02 15:04")},
				DedupeKey: "booking.reminder:" + r.ID.String()}); err != nil {
				return err
			}
		}
		n = len(rows)
		return nil
	})
	return n, err
}
