package memberevents

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// nowEvent is an event running now (check-in open): sign-up open, started 30 minutes ago.
func nowEvent(f fixture) func(*EventInput) {
	return func(in *EventInput) {
		in.SignupOpensAt, in.SignupClosesAt = f.start.Add(-time.Hour), f.start.Add(time.Hour)
		in.StartsAt, in.EndsAt = f.start.Add(-30*time.Minute), f.start.Add(3*time.Hour)
	}
}

// TestConcurrentSignupsTenPlacesHundredMembers: 100 members sign up at once for 10
// places: exactly 10 confirmed, 90 wait-listed at positions 1..90 without gaps or
// repeats, and each member's own position agrees with the staff list.
func TestConcurrentSignupsTenPlacesHundredMembers(t *testing.T) {
	f := setup(t)
	e := f.event(t, 10, 0, nil)
	ms := f.world.Members(t, f.db, 100)
	var wg sync.WaitGroup
	errc := make(chan error, len(ms))
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, m), e.ID, fmt.Sprintf("su-%d", i)); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	list, err := f.svc.EventSignups(f.staff, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	confirmed, positions := 0, []int{}
	for _, su := range list {
		switch su.Status {
		case SignupConfirmed:
			confirmed++
		case SignupWaitlisted:
			positions = append(positions, su.Position)
			mine, err := f.svc.MySignup(redemptiontest.Shopper(f.ctx, su.MemberID), e.ID)
			if err != nil || mine.Position != su.Position {
				t.Fatalf("member's own position %d (%v), list says %d", mine.Position, err, su.Position)
			}
		}
	}
	if confirmed != 10 || len(positions) != 90 {
		t.Fatalf("confirmed %d wait-listed %d, want 10 and 90", confirmed, len(positions))
	}
	for i, p := range positions {
		if p != i+1 {
			t.Fatalf("wait-list positions %v: want 1..90 in order", positions)
		}
	}
	ev, _ := f.svc.Event(f.staff, e.ID)
	if ev.Confirmed != 10 {
		t.Fatalf("event counts %d confirmed", ev.Confirmed)
	}
}

// TestCancelPromotesFirstWaitlisted: a freed place goes to the first in the queue, the
// others move up; the same sign-up again is ALREADY_SIGNED_UP.
func TestCancelPromotesFirstWaitlisted(t *testing.T) {
	f := setup(t)
	e := f.event(t, 1, 0, nil)
	ms := f.world.Members(t, f.db, 3)
	for i, m := range ms {
		su, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, m), e.ID, "k")
		if err != nil {
			t.Fatal(err)
		}
		if want := []SignupStatus{SignupConfirmed, SignupWaitlisted, SignupWaitlisted}[i]; su.Status != want || su.Position != i {
			t.Fatalf("member %d: %s position %d", i, su.Status, su.Position)
		}
	}
	if _, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, ms[1]), e.ID, "other-key"); !errors.Is(err, ErrAlreadySignedUp) {
		t.Fatalf("second sign-up: %v", err)
	}
	if _, err := f.svc.CancelSignup(redemptiontest.Shopper(f.ctx, ms[0]), e.ID, "c"); err != nil {
		t.Fatal(err)
	}
	first, _ := f.svc.MySignup(redemptiontest.Shopper(f.ctx, ms[1]), e.ID)
	second, _ := f.svc.MySignup(redemptiontest.Shopper(f.ctx, ms[2]), e.ID)
	if first.Status != SignupConfirmed || second.Status != SignupWaitlisted || second.Position != 1 {
		t.Fatalf("after cancel: %+v %+v", first, second)
	}
	if _, err := f.svc.CancelSignup(redemptiontest.Shopper(f.ctx, ms[0]), e.ID, "c2"); !errors.Is(err, ErrSignupTransition) {
		t.Fatalf("cancel twice: %v", err)
	}
}

// TestCheckInOfflineScansUploadedTwiceCountOnce: a device's batch uploaded twice, and a
// second device's scan of a member already in, check each member in once.
func TestCheckInOfflineScansUploadedTwiceCountOnce(t *testing.T) {
	f := setup(t)
	e := f.event(t, 10, 0, nowEvent(f))
	ms := f.world.Members(t, f.db, 3)
	for _, m := range ms[:2] {
		if _, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, m), e.ID, "k"); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	f.clock.Set(now)
	batch := []Scan{
		{ScanID: "dev1-0001", DeviceID: "dev1", Code: f.code(t, ms[0]), ScannedAt: now},
		{ScanID: "dev1-0002", DeviceID: "dev1", Code: f.code(t, ms[1]), ScannedAt: now},
		{ScanID: "dev1-0003", DeviceID: "dev1", Code: f.code(t, ms[2]), ScannedAt: now}, // not signed up
		{ScanID: "dev1-0004", DeviceID: "dev1", Code: "forged", ScannedAt: now},
	}
	desk := f.world.MallStaffAs(f.ctx, "service_desk")
	res, err := f.svc.CheckIn(desk, e.ID, batch)
	if err != nil {
		t.Fatal(err)
	}
	if res.CheckedIn != 2 || res.Duplicates != 0 || len(res.Rejected) != 2 || res.Rejected[0].Code != "NOT_SIGNED_UP" {
		t.Fatalf("first upload: %+v", res)
	}
	f.clock.Add(10 * time.Minute) // uploaded again later: the codes were fresh when scanned
	again, err := f.svc.CheckIn(desk, e.ID, batch)
	if err != nil {
		t.Fatal(err)
	}
	if again.CheckedIn != 0 || again.Duplicates != 4 || len(again.Rejected) != 0 {
		t.Fatalf("second upload: %+v", again)
	}
	other, err := f.svc.CheckIn(desk, e.ID, []Scan{{ScanID: "dev2-0001", DeviceID: "dev2", Code: batch[0].Code, ScannedAt: now}})
	if err != nil || other.Already != 1 || other.CheckedIn != 0 {
		t.Fatalf("another device's scan of a member in: %+v %v", other, err)
	}
	stale, err := f.svc.CheckIn(desk, e.ID, []Scan{{ScanID: "dev2-0002", Code: batch[1].Code, ScannedAt: now.Add(5 * time.Minute)}})
	if err != nil || len(stale.Rejected) != 1 || stale.Rejected[0].Code != "MEMBER_CODE_EXPIRED" {
		t.Fatalf("a code scanned after it expired: %+v %v", stale, err)
	}
	list, _ := f.svc.EventSignups(f.staff, e.ID)
	in := 0
	for _, su := range list {
		if su.Status == SignupCheckedIn {
			in++
		}
	}
	if in != 2 {
		t.Fatalf("%d checked in, want 2", in)
	}
}

// TestDepositHeldAndReturnedExactlyOnce: the deposit leaves the points at sign-up and
// comes back once at check-in, however often the member is scanned and whether or not
// the event is closed after; a no-show's deposit is forfeited and a wait-listed
// member's returned at close; cancelling returns it; the ledger and Verify agree.
func TestDepositHeldAndReturnedExactlyOnce(t *testing.T) {
	f := setup(t)
	e := f.event(t, 2, 30, nowEvent(f))
	shows, showCard := f.member(t, 100)
	noShow, noShowCard := f.member(t, 100)
	waiting, waitingCard := f.member(t, 100)
	leaver, leaverCard := f.member(t, 100)
	poor, _ := f.member(t, 10)
	for _, m := range []uuid.UUID{shows, noShow, waiting, leaver} {
		if _, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, m), e.ID, "k"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, poor), e.ID, "k"); !errors.Is(err, ledger.ErrInsufficientPoint) {
		t.Fatalf("sign-up without points for the deposit: %v", err)
	}
	// a repeat of the same request replays: one deposit
	if _, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, shows), e.ID, "k"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []uuid.UUID{showCard, noShowCard, waitingCard, leaverCard} {
		if got := f.points(t, c); got != 70 {
			t.Fatalf("after sign-up %d points, want 70", got)
		}
	}
	f.verify(t)
	if _, err := f.svc.CancelSignup(redemptiontest.Shopper(f.ctx, leaver), e.ID, "c"); err != nil {
		t.Fatal(err)
	}
	if got := f.points(t, leaverCard); got != 100 {
		t.Fatalf("cancelled: %d points, want 100", got)
	}
	now := time.Now()
	f.clock.Set(now)
	code := f.code(t, shows)
	for i := range 3 {
		if _, err := f.svc.CheckIn(f.staff, e.ID, []Scan{{ScanID: fmt.Sprintf("scan-%04d", i), Code: code, ScannedAt: now}}); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.points(t, showCard); got != 100 {
		t.Fatalf("checked in: %d points, want 100 (deposit back once)", got)
	}
	if _, err := f.svc.CloseEvent(f.staff, e.ID, "close"); !errors.Is(err, ErrEventNotOver) {
		t.Fatalf("close before the end: %v", err)
	}
	f.clock.Set(e.EndsAt.Add(time.Minute))
	rep, err := f.svc.CloseEvent(f.staff, e.ID, "close")
	if err != nil || rep.Forfeited != 1 || rep.Returned != 1 {
		t.Fatalf("close: %+v %v", rep, err)
	}
	if _, err := f.svc.CloseEvent(f.staff, e.ID, "close-again"); !errors.Is(err, ErrEventClosed) {
		t.Fatalf("close twice: %v", err)
	}
	for _, c := range []struct {
		card uuid.UUID
		want int64
	}{{showCard, 100}, {noShowCard, 70}, {waitingCard, 100}, {leaverCard, 100}} {
		if got := f.points(t, c.card); got != c.want {
			t.Fatalf("after close card %s: %d points, want %d", c.card, got, c.want)
		}
	}
	f.verify(t)
}

// TestEventPrizesOnlyCheckedIn: the event's lottery is drawn by checked-in members only,
// once per member and event.
func TestEventPrizesOnlyCheckedIn(t *testing.T) {
	f := setup(t)
	l, err := f.campaigns.CreateLottery(f.staff, campaigns.Lottery{MallID: f.world.MallID, Name: "Lucky draw",
		Prizes: []campaigns.Prize{{Name: "Tea set", Odds: decimalOf("0.5"), Stock: 5, Points: 10}}})
	if err != nil {
		t.Fatal(err)
	}
	e := f.event(t, 10, 0, func(in *EventInput) { nowEvent(f)(in); in.LotteryID = &l.ID })
	in, inCard := f.member(t, 0)
	out, _ := f.member(t, 0)
	for _, m := range []uuid.UUID{in, out} {
		if _, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, m), e.ID, "k"); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	f.clock.Set(now)
	if _, err := f.svc.CheckIn(f.staff, e.ID, []Scan{{ScanID: "scan-0001", Code: f.code(t, in), ScannedAt: now}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DrawEventLottery(redemptiontest.Shopper(f.ctx, out), e.ID); !errors.Is(err, ErrNotCheckedIn) {
		t.Fatalf("draw without check-in: %v", err)
	}
	d1, err := f.svc.DrawEventLottery(redemptiontest.Shopper(f.ctx, in), e.ID)
	if err != nil || d1.Prize == nil {
		t.Fatalf("draw: %+v %v", d1, err)
	}
	d2, err := f.svc.DrawEventLottery(redemptiontest.Shopper(f.ctx, in), e.ID)
	if err != nil || d2.ID != d1.ID || f.points(t, inCard) != 10 {
		t.Fatalf("second draw replays the first: %+v %v points %d", d2, err, f.points(t, inCard))
	}
	if _, err := f.svc.TakeEventGift(redemptiontest.Shopper(f.ctx, in), e.ID); !errors.Is(err, ErrNoPrize) {
		t.Fatalf("gift of an event without one: %v", err)
	}
	other := f.world.OtherMallID
	if _, err := f.svc.CreateEvent(f.staff, EventInput{MallID: f.world.MallID, Title: "x", Place: "y", Capacity: 1,
		SignupOpensAt: f.start, SignupClosesAt: f.start.Add(time.Hour), StartsAt: f.start, EndsAt: f.start.Add(time.Hour),
		LotteryID: &other}); err == nil {
		t.Fatal("an unknown lottery accepted")
	}
}

// TestEventSignIn: signing in follows the event's rule (here twice a day at most).
func TestEventSignIn(t *testing.T) {
	f := setup(t)
	e := f.event(t, 10, 0, func(in *EventInput) {
		nowEvent(f)(in)
		in.SignIn = signinRule(f.start.Add(-time.Hour), f.start.Add(48*time.Hour), 2)
	})
	m, _ := f.member(t, 0)
	stranger, _ := f.member(t, 0)
	ctx := redemptiontest.Shopper(f.ctx, m)
	if _, err := f.svc.SignIn(ctx, e.ID); !errors.Is(err, ErrNotSignedUp) {
		t.Fatalf("sign-in before sign-up: %v", err)
	}
	if _, err := f.svc.SignUp(ctx, e.ID, "k"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		r, err := f.svc.SignIn(ctx, e.ID)
		if err != nil || r.Count != i {
			t.Fatalf("sign-in %d: %+v %v", i, r, err)
		}
	}
	_, err := f.svc.SignIn(ctx, e.ID)
	if e, ok := errs.As(err); !ok || e.Code != "SIGNIN_REFUSED" || e.Message != "SIGNIN_DAY_LIMIT" {
		t.Fatalf("third sign-in the same day: %v", err)
	}
	if _, err := f.svc.SignIn(redemptiontest.Shopper(f.ctx, stranger), e.ID); !errors.Is(err, ErrNotSignedUp) {
		t.Fatalf("a member not signed up: %v", err)
	}
}

// TestEventRestrictedToTags: an event for a tag refuses members without it.
func TestEventRestrictedToTags(t *testing.T) {
	f := setup(t)
	e := f.event(t, 10, 0, func(in *EventInput) { in.Tags = []string{"vip"} })
	m, _ := f.member(t, 0)
	if _, err := f.svc.SignUp(redemptiontest.Shopper(f.ctx, m), e.ID, "k"); !errors.Is(err, ErrNotEligible) {
		t.Fatalf("sign-up without the tag: %v", err)
	}
	if !slices.Equal(e.Tags, []string{"vip"}) {
		t.Fatalf("tags %v", e.Tags)
	}
}
