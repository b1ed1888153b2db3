package bookings

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/state/statetest"
)

func TestBookingTransitions(t *testing.T) {
	statetest.Check(t, bookingStates.Next, ErrNotCancellable,
		statetest.Legal("attend an open booking", EventAttend, BookingBooked, BookingUsed),
		statetest.Legal("reopen after a void", EventReopen, BookingUsed, BookingBooked),
		statetest.Legal("cancel an open booking", EventCancel, BookingBooked, BookingCancelled),
		statetest.Legal("an open booking missed", EventNoShow, BookingBooked, BookingNoShow),
		statetest.Refused("attend twice or once cancelled", EventAttend, BookingUsed, BookingCancelled),
		statetest.Refused("cancel twice, after attending or a no-show", EventCancel, BookingCancelled, BookingUsed, BookingNoShow),
		statetest.Refused("reopen an open booking or a no-show", EventReopen, BookingBooked, BookingNoShow),
		statetest.Refused("no-show after attending", EventNoShow, BookingUsed),
		statetest.Refused("an unknown event", BookingEvent("teleport"), BookingBooked),
	)
}

// TestCreateBookingKeys: keys are checked and scoped per member and operation.
func TestCreateBookingKeys(t *testing.T) {
	f := setup(t)
	sl, other := f.slot(t, 5), f.slot(t, 5)
	alice := redemptiontest.Shopper(f.ctx, f.world.Member(t, f.db))
	bob := redemptiontest.Shopper(f.ctx, f.world.Member(t, f.db))
	first, err := f.svc.CreateBooking(alice, sl.ID, "k1")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		ctx     context.Context
		key     string
		slot    uuid.UUID
		wantErr error
		same    bool // the first booking comes back
	}{
		{"a repeat replays the first booking", alice, "k1", sl.ID, nil, true},
		{"the key with another slot", alice, "k1", other.ID, errs.ErrIdempotencyKey, false},
		{"another member's key is their own", bob, "k1", sl.ID, nil, false},
		{"an empty key", alice, "", sl.ID, errs.ErrInvalid, false},
		{"no viewer", f.ctx, "k2", sl.ID, errs.ErrUnauthenticated, false},
		{"staff cannot book", f.world.MallStaff(f.ctx), "k3", sl.ID, errs.ErrForbidden, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := f.svc.CreateBooking(tc.ctx, tc.slot, tc.key)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || (b.ID == first.ID) != tc.same || b.Token == "" {
				t.Fatalf("booking %+v, %v (first %s)", b, err, first.ID)
			}
		})
	}
}

// TestPaysOnlyFromUsableCards: a paid booking never takes value from an expired or
// frozen card (members.Card.Usable), and nothing is booked.
func TestPaysOnlyFromUsableCards(t *testing.T) {
	p := setupPaid(t)
	yesterday := p.clock.Now().Add(-24 * time.Hour)
	cases := []struct {
		name    string
		status  string
		expires *time.Time
	}{
		{"an expired card", "active", &yesterday},
		{"a frozen card", "frozen", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			card, shopper := p.member(t, "1000", "0")
			if _, err := p.db.Pool.Exec(p.ctx, `UPDATE cards SET status = $2, expires_at = $3 WHERE id = $1`,
				card, tc.status, tc.expires); err != nil {
				t.Fatal(err)
			}
			_, err := p.svc.CreatePaidBooking(shopper, p.sl.ID, PayPoints, uuid.NewString())
			if !errors.Is(err, ErrNoCard) {
				t.Fatalf("err = %v, want ErrNoCard", err)
			}
			if pts, _ := p.balances(t, card); pts != "1000" {
				t.Fatalf("the card has %s points, want 1000", pts)
			}
		})
	}
	p.verify(t)
}
