package bookings

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

type fixture struct {
	ctx    context.Context
	db     *storage.DB
	svc    *Service
	codes  *redemption.Service
	clock  *redemptiontest.Clock
	world  redemptiontest.World
	ledger *ledger.Service
}

// setup builds the test's fixture; the test runs in parallel.
func setup(t *testing.T) fixture {
	t.Helper()
	t.Parallel()
	b := servicetest.New(t, time.Date(2026, 5, 6, 2, 0, 0, 0, time.UTC))
	return fixture{ctx: context.Background(), db: b.DB, codes: b.Codes, clock: b.Clock, ledger: b.Ledger,
		world: redemptiontest.NewWorld(t, b.DB), svc: New(Deps{DB: b.DB, Org: b.Org, Codes: b.Codes, Ledger: b.Ledger, Now: b.Clock.Now})}
}

// slot creates a lounge (free cancellation until 2 hours before) and a slot starting
// in 24 hours.
func (f fixture) slot(t *testing.T, capacity int) Slot {
	t.Helper()
	staff := f.world.MallStaff(f.ctx)
	r, err := f.svc.CreateResource(staff, Resource{MallID: f.world.MallID, Name: "VIP lounge", Kind: "lounge",
		FreeCancelHours: 2})
	if err != nil {
		t.Fatal(err)
	}
	start := f.clock.Now().Add(24 * time.Hour)
	sl, err := f.svc.CreateSlot(staff, r.ID, start, start.Add(time.Hour), capacity)
	if err != nil {
		t.Fatal(err)
	}
	return sl
}

func TestSlotNeverOverbooks(t *testing.T) {
	f := setup(t)
	sl := f.slot(t, 10)
	members := f.world.Members(t, f.db, 100)
	var ok, full atomic.Int32
	var wg sync.WaitGroup
	for _, m := range members {
		wg.Go(func() {
			_, err := f.svc.CreateBooking(redemptiontest.Shopper(f.ctx, m), sl.ID, uuid.NewString())
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrSlotFull):
				full.Add(1)
			default:
				t.Errorf("book: %v", err)
			}
		})
	}
	wg.Wait()
	var booked, rows int
	_ = f.db.Pool.QueryRow(f.ctx, `SELECT booked, (SELECT count(*) FROM bookings WHERE slot_id = $1)
		FROM booking_slots WHERE id = $1`, sl.ID).Scan(&booked, &rows)
	if ok.Load() != 10 || full.Load() != 90 || booked != 10 || rows != 10 {
		t.Fatalf("ok=%d full=%d booked=%d rows=%d", ok.Load(), full.Load(), booked, rows)
	}
}

func TestBookingLifecycle(t *testing.T) {
	f := setup(t)
	sl := f.slot(t, 2)
	alice, bob := f.world.Member(t, f.db), f.world.Member(t, f.db)
	actx := redemptiontest.Shopper(f.ctx, alice)
	b, err := f.svc.CreateBooking(actx, sl.ID, "b1")
	if err != nil || b.Numeric == "" || b.Token == "" {
		t.Fatalf("book: %+v %v", b, err)
	}
	if _, err := f.svc.CreateBooking(actx, sl.ID, "b2"); !errors.Is(err, ErrAlreadyBooked) {
		t.Fatalf("double booking: %v", err)
	}
	c, err := f.svc.CancelBooking(actx, b.ID)
	if err != nil || c.LateCancel {
		t.Fatalf("free cancel: %+v %v", c, err)
	}
	if _, err := f.codes.Redeem(f.world.MallStaff(f.ctx), b.Token, "r"); !errors.Is(err, redemption.ErrCodeRevoked) {
		t.Fatalf("cancelled booking's code: %v", err)
	}
	b2, err := f.svc.CreateBooking(actx, sl.ID, "b3")
	if err != nil {
		t.Fatalf("rebook after cancel: %v", err)
	}
	f.clock.Add(23 * time.Hour) // one hour before the start: past the 2-hour free cancellation
	if c, err := f.svc.CancelBooking(actx, b2.ID); err != nil || !c.LateCancel {
		t.Fatalf("late cancel: %+v %v", c, err)
	}

	// Bob comes; the staff scans his code within the hour before the start.
	bb, err := f.svc.CreateBooking(redemptiontest.Shopper(f.ctx, bob), sl.ID, "b4")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.codes.Redeem(f.world.MallStaff(f.ctx), bb.Numeric, "r1"); err != nil {
		t.Fatalf("redeem booking: %v", err)
	}
	got, _ := f.svc.Booking(redemptiontest.Shopper(f.ctx, bob), bb.ID)
	if got.Status != "used" {
		t.Fatalf("booking %s after redemption", got.Status)
	}
	f.clock.Add(2 * time.Hour)
	if _, err := f.svc.CreateBooking(actx, sl.ID, "b5"); !errors.Is(err, ErrSlotStarted) {
		t.Fatalf("book a past slot: %v", err)
	}
}

// TestMarkNoShowsInBatches: five bookings, one redeemed, in batches of two: three
// transactions mark the four others and revoke each code once; a rerun finds none.
func TestMarkNoShowsInBatches(t *testing.T) {
	f := setup(t)
	f.svc.noShowBatch = 2
	sl := f.slot(t, 5)
	var codes []string
	for _, m := range f.world.Members(t, f.db, 5) {
		b, err := f.svc.CreateBooking(redemptiontest.Shopper(f.ctx, m), sl.ID, "k")
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, b.Numeric)
	}
	f.clock.Add(24*time.Hour + 10*time.Minute)
	if _, err := f.codes.Redeem(f.world.MallStaff(f.ctx), codes[0], "came"); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.MarkNoShows(f.ctx, f.clock.Now().Add(time.Hour)); err != nil || n != 4 {
		t.Fatalf("no-shows: %d %v", n, err)
	}
	for _, c := range codes[1:] {
		if _, err := f.codes.Redeem(f.world.MallStaff(f.ctx), c, "late"); !errors.Is(err, redemption.ErrCodeRevoked) {
			t.Fatalf("no-show's code: %v", err)
		}
	}
	if n, err := f.svc.MarkNoShows(f.ctx, f.clock.Now().Add(2*time.Hour)); err != nil || n != 0 {
		t.Fatalf("rerun: %d %v", n, err)
	}
}

func TestMarkNoShows(t *testing.T) {
	f := setup(t)
	sl := f.slot(t, 5)
	members := f.world.Members(t, f.db, 3)
	var codes []string
	for _, m := range members {
		b, err := f.svc.CreateBooking(redemptiontest.Shopper(f.ctx, m), sl.ID, "k")
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, b.Numeric)
	}
	f.clock.Add(24*time.Hour + 10*time.Minute)
	if _, err := f.codes.Redeem(f.world.MallStaff(f.ctx), codes[0], "came"); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.MarkNoShows(f.ctx, f.clock.Now()); err != nil || n != 0 {
		t.Fatalf("before the end: %d %v", n, err)
	}
	if n, err := f.svc.MarkNoShows(f.ctx, f.clock.Now().Add(time.Hour)); err != nil || n != 2 {
		t.Fatalf("no-shows: %d %v", n, err)
	}
	if _, err := f.codes.Redeem(f.world.MallStaff(f.ctx), codes[1], "late"); !errors.Is(err, redemption.ErrCodeRevoked) {
		t.Fatalf("no-show's code: %v", err)
	}
}
