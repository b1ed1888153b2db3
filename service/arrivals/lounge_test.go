package arrivals_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// lounge is the arrivals fixture with a bookings context: a lounge and a second resource,
// each with a slot from slotStart to slotStart+1h, booked the day before.
type lounge struct {
	*fixture
	codes           *redemption.Service
	clock           *redemptiontest.Clock
	bks             *bookings.Service
	lounge, other   bookings.Resource
	slot, otherSlot bookings.Slot
}

var slotStart = day1.Add(time.Hour)

func setupLounge(t *testing.T) *lounge {
	t.Helper()
	f := setup(t, false)
	clock := redemptiontest.NewClock(day1.Add(-24 * time.Hour))
	l := &lounge{fixture: f, clock: clock}
	l.codes = redemption.New(redemption.Deps{DB: f.db, Redis: f.redis, Org: f.orgs, Config: redemption.Config{}, Now: clock.Now})
	l.bks = bookings.New(bookings.Deps{DB: f.db, Org: f.orgs, Codes: l.codes, Ledger: ledger.New(ledger.Deps{DB: f.db, Now: time.Now}), Now: clock.Now})
	f.svc = f.build(arrivals.DefaultConfig(), l.bks)
	staff := staffCtx(f.mall, auth.RoleServiceDesk)
	var err error
	for _, r := range []*bookings.Resource{&l.lounge, &l.other} {
		if *r, err = l.bks.CreateResource(staff, bookings.Resource{MallID: f.mall, Name: "VIP lounge", Kind: "lounge"}); err != nil {
			t.Fatal(err)
		}
	}
	if l.slot, err = l.bks.CreateSlot(staff, l.lounge.ID, slotStart, slotStart.Add(time.Hour), 10); err != nil {
		t.Fatal(err)
	}
	if l.otherSlot, err = l.bks.CreateSlot(staff, l.other.ID, slotStart, slotStart.Add(time.Hour), 10); err != nil {
		t.Fatal(err)
	}
	return l
}

// book creates a member with card uid (status) and books slot for them.
func (l *lounge) book(uid, status string, slot bookings.Slot) bookings.Booking {
	l.t.Helper()
	m, _ := l.member(uid, status)
	b, err := l.bks.CreateBooking(redemptiontest.Shopper(context.Background(), m), slot.ID, uuid.NewString())
	if err != nil {
		l.t.Fatal(err)
	}
	return b
}

func (l *lounge) swipeAt(resource uuid.UUID, uid string, at time.Time) arrivals.Visit {
	l.t.Helper()
	var v arrivals.Visit
	err := l.db.InTx(context.Background(), func(tx pgx.Tx) error {
		var err error
		v, err = l.svc.SwipeTx(context.Background(), tx, arrivals.Swipe{MallID: l.mall, DeviceID: "r1", UID: uid, At: at,
			Resource: resource.String()})
		return err
	})
	if err != nil {
		l.t.Fatal(err)
	}
	return v
}

// redeemed returns the booking's status and its live redemptions (without staff).
func (l *lounge) redeemed(b bookings.Booking) (string, int) {
	l.t.Helper()
	var status string
	var n int
	ctx := context.Background()
	if err := l.db.Pool.QueryRow(ctx, `SELECT status FROM bookings WHERE id = $1`, b.ID).Scan(&status); err != nil {
		l.t.Fatal(err)
	}
	if err := l.db.Pool.QueryRow(ctx, `SELECT count(*) FROM redemptions r JOIN redemption_codes c ON c.id = r.code_id
		WHERE c.subject_id = $1 AND c.status = 'redeemed' AND r.voided_at IS NULL AND r.staff_id IS NULL`, b.ID).Scan(&n); err != nil {
		l.t.Fatal(err)
	}
	return status, n
}

func TestLoungeSwipeRedeemsBookingOnce(t *testing.T) {
	l := setupLounge(t)
	b := l.book("UID-L1", "active", l.slot)
	at := slotStart.Add(-10 * time.Minute) // within the grace before the start
	v := l.swipeAt(l.lounge.ID, "UID-L1", at)
	if v.Result != "ok" || v.Lounge != bookings.AttendRedeemed || v.BookingID != b.ID || v.AfterCommit == nil {
		t.Fatalf("first swipe: %+v", v)
	}
	v.AfterCommit(context.Background())
	for i := range 4 {
		v := l.swipeAt(l.lounge.ID, "UID-L1", at.Add(time.Duration(i)*time.Minute))
		if v.Result != "ok" || v.Lounge != bookings.AttendAlreadyRedeemed || v.AfterCommit != nil {
			t.Fatalf("swipe %d: %+v", i+2, v)
		}
	}
	if status, n := l.redeemed(b); status != "used" || n != 1 {
		t.Fatalf("booking %s with %d redemptions, want used with 1", status, n)
	}
	// The member's booking code is used: a later staff scan is refused.
	_, err := l.codes.Redeem(staffCtx(l.mall, auth.RoleServiceDesk), b.Numeric, uuid.NewString())
	if !errors.Is(err, redemption.ErrCodeUsed) {
		t.Fatalf("scan after swipe: %v", err)
	}
}

func TestLoungeSwipesConcurrentlyRedeemOnce(t *testing.T) {
	l := setupLounge(t)
	b := l.book("UID-C1", "active", l.slot)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		outcomes = map[string]int{}
	)
	for i := range 5 {
		wg.Go(func() {
			var v arrivals.Visit
			err := l.db.InTx(context.Background(), func(tx pgx.Tx) (err error) {
				v, err = l.svc.SwipeTx(context.Background(), tx, arrivals.Swipe{MallID: l.mall, DeviceID: "r1",
					UID: "UID-C1", At: slotStart.Add(time.Duration(i) * time.Second), Resource: l.lounge.ID.String()})
				return err
			})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			outcomes[v.Lounge]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if outcomes[bookings.AttendRedeemed] != 1 || outcomes[bookings.AttendAlreadyRedeemed] != 4 {
		t.Fatalf("outcomes %v", outcomes)
	}
	if status, n := l.redeemed(b); status != "used" || n != 1 {
		t.Fatalf("booking %s with %d redemptions, want used with 1", status, n)
	}
}

func TestLoungeSwipeAfterScanRedeemsNothing(t *testing.T) {
	l := setupLounge(t)
	b := l.book("UID-S1", "active", l.slot)
	l.clock.Add(24 * time.Hour) // the slot is under way
	if _, err := l.codes.Redeem(staffCtx(l.mall, auth.RoleServiceDesk), b.Numeric, uuid.NewString()); err != nil {
		t.Fatal(err)
	}
	v := l.swipeAt(l.lounge.ID, "UID-S1", slotStart.Add(5*time.Minute))
	if v.Result != "ok" || v.Lounge != bookings.AttendAlreadyRedeemed {
		t.Fatalf("swipe after scan: %+v", v)
	}
	var n int
	_ = l.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM redemptions r JOIN redemption_codes c
		ON c.id = r.code_id WHERE c.subject_id = $1`, b.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d redemptions, want the scan's only", n)
	}
}

func TestLoungeSwipeRedeemsNothing(t *testing.T) {
	l := setupLounge(t)
	early := l.book("UID-EARLY", "active", l.slot)
	late := l.book("UID-LATE", "active", l.slot)
	elsewhere := l.book("UID-OTHER", "active", l.otherSlot)
	frozen := l.book("UID-FROZEN-L", "active", l.slot)
	l.exec(`UPDATE cards SET status = 'frozen' WHERE uid = 'UID-FROZEN-L'`)
	l.member("UID-NOBOOK", "active")
	tests := []struct {
		name     string
		resource uuid.UUID
		uid      string
		at       time.Time
		result   arrivals.VisitResult
		lounge   string
		booking  bookings.Booking
	}{
		{"before the grace", l.lounge.ID, "UID-EARLY", slotStart.Add(-bookings.AttendGrace - time.Minute), "ok", bookings.AttendNoBooking, early},
		{"at the end", l.lounge.ID, "UID-LATE", slotStart.Add(time.Hour), "ok", bookings.AttendNoBooking, late},
		{"other resource", l.lounge.ID, "UID-OTHER", slotStart, "ok", bookings.AttendNoBooking, elsewhere},
		{"booking elsewhere, reader here", l.other.ID, "UID-EARLY", slotStart, "ok", bookings.AttendNoBooking, early},
		{"frozen card", l.lounge.ID, "UID-FROZEN-L", slotStart, "refused", "", frozen},
		{"no booking", l.lounge.ID, "UID-NOBOOK", slotStart, "ok", bookings.AttendNoBooking, bookings.Booking{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := l.swipeAt(tt.resource, tt.uid, tt.at)
			if v.Result != tt.result || v.Lounge != tt.lounge || v.AfterCommit != nil {
				t.Errorf("%+v, want %s lounge=%q", v, tt.result, tt.lounge)
			}
			if tt.booking.ID == uuid.Nil {
				return
			}
			if status, n := l.redeemed(tt.booking); status != "booked" || n != 0 {
				t.Errorf("booking %s with %d redemptions", status, n)
			}
		})
	}
	var visits int
	_ = l.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM visits`).Scan(&visits)
	if visits != len(tests) {
		t.Fatalf("%d visits recorded, want %d", visits, len(tests))
	}
	// An entrance reader (no resource) never touches bookings.
	if v := l.swipe("UID-EARLY", slotStart); v.Lounge != "" {
		t.Fatalf("entrance swipe: %+v", v)
	}
}
