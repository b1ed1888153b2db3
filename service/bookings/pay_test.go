package bookings

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// paid is a fixture with a paid slot: a resource costing 300 points or 50.00 stored
// value, free cancellation until two hours before, starting in 24 hours.
type paid struct {
	fixture
	sl Slot
}

func setupPaid(t *testing.T) paid {
	t.Helper()
	p := paid{fixture: setup(t)}
	staff := p.world.MallStaff(p.ctx)
	r, err := p.svc.CreateResource(staff, Resource{MallID: p.world.MallID, Name: "Spa", Kind: "service",
		FreeCancelHours: 2, PricePoints: 300, PriceAmount: decimal.RequireFromString("50.00")})
	if err != nil {
		t.Fatal(err)
	}
	start := p.clock.Now().Add(24 * time.Hour)
	if p.sl, err = p.svc.CreateSlot(staff, r.ID, start, start.Add(time.Hour), 10); err != nil {
		t.Fatal(err)
	}
	return p
}

// member registers a member with an active card (through members) holding points and
// stored value, and returns the card and the member's shopper context.
func (p paid) member(t *testing.T, points, amount string) (uuid.UUID, context.Context) {
	t.Helper()
	m := p.world.Member(t, p.db)
	card := p.world.Card(t, m)
	err := p.db.InTx(p.ctx, func(tx pgx.Tx) error {
		group, err := p.ledger.LockCardsTx(p.ctx, tx, card)
		if err != nil {
			return err
		}
		now := p.clock.Now()
		if pts := decimal.RequireFromString(points); pts.IsPositive() {
			if _, err := p.ledger.EarnTx(p.ctx, tx, ledger.Earn{GroupID: group, CardID: card, Points: pts,
				From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: now, ExpiresAt: now.AddDate(1, 0, 0),
				Kind: "earn", Key: "earn:" + card.String()}); err != nil {
				return err
			}
		}
		if amt := decimal.RequireFromString(amount); amt.IsPositive() {
			_, err = p.ledger.PostTx(p.ctx, tx, ledger.Posting{GroupID: group, Kind: "recharge", Key: "recharge:" + card.String(),
				Legs: []ledger.Leg{{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: amt.Neg()},
					{Account: ledger.Card(card, ledger.CNY), Amount: amt}}})
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return card, redemptiontest.Shopper(p.ctx, m)
}

// book books the paid slot for shopper with pay; it must succeed.
func (p paid) book(t *testing.T, shopper context.Context, pay Payment) Booking {
	t.Helper()
	b, err := p.svc.CreatePaidBooking(shopper, p.sl.ID, pay, uuid.NewString())
	if err != nil {
		t.Fatalf("paid booking with %s: %v", pay, err)
	}
	return b
}

// cancel cancels b as shopper; it must succeed.
func (p paid) cancel(t *testing.T, shopper context.Context, b Booking) {
	t.Helper()
	if _, err := p.svc.CancelBooking(shopper, b.ID); err != nil {
		t.Fatalf("cancel: %v", err)
	}
}

func (p paid) balances(t *testing.T, card uuid.UUID) (string, string) {
	t.Helper()
	b, err := p.ledger.CardBalances(p.ctx, card)
	if err != nil {
		t.Fatal(err)
	}
	return b.Points.String(), b.StoredValue.String()
}

func (p paid) verify(t *testing.T) { t.Helper(); ledgertest.Verify(t, p.ledger) }

// TestPaidBookingChargesOnce books with the same key ten times at once: one booking,
// one charge, for points and for stored value alike.
func TestPaidBookingChargesOnce(t *testing.T) {
	t.Parallel()
	for _, pay := range []Payment{PayPoints, PayStoredValue} {
		t.Run(string(pay), func(t *testing.T) {
			p := setupPaid(t)
			card, shopper := p.member(t, "1000", "200.00")
			key := uuid.NewString()
			var wg sync.WaitGroup
			ids := make([]uuid.UUID, 10)
			for i := range ids {
				wg.Go(func() {
					b, err := p.svc.CreatePaidBooking(shopper, p.sl.ID, pay, key)
					if err != nil {
						t.Errorf("book: %v", err)
					}
					ids[i] = b.ID
				})
			}
			wg.Wait()
			for _, id := range ids {
				if id != ids[0] {
					t.Fatalf("repeats returned different bookings: %v", ids)
				}
			}
			pts, cny := p.balances(t, card)
			want := map[Payment][2]string{PayPoints: {"700", "200"}, PayStoredValue: {"1000", "150"}}[pay]
			if pts != want[0] || cny != want[1] {
				t.Errorf("balances = %s points, %s CNY; want %v", pts, cny, want)
			}
			b, err := p.svc.Booking(shopper, ids[0])
			if err != nil || b.PaidWith != pay {
				t.Errorf("booking = %+v, %v", b, err)
			}
			p.verify(t)
		})
	}
}

func TestPaidBookingInsufficientBalance(t *testing.T) {
	p := setupPaid(t)
	card, shopper := p.member(t, "299", "49.99")
	for _, pay := range []Payment{PayPoints, PayStoredValue} {
		if _, err := p.svc.CreatePaidBooking(shopper, p.sl.ID, pay, uuid.NewString()); !errors.Is(err, ErrInsufficientBalance) {
			t.Errorf("%s: err = %v, want ErrInsufficientBalance", pay, err)
		}
	}
	if _, err := p.svc.CreateBooking(shopper, p.sl.ID, uuid.NewString()); !errors.Is(err, ErrPaymentRequired) {
		t.Errorf("unpaid: err = %v, want ErrPaymentRequired", err)
	}
	var bookings, booked, postings int
	_ = p.db.Pool.QueryRow(p.ctx, `SELECT (SELECT count(*) FROM bookings WHERE slot_id = $1),
		(SELECT booked FROM booking_slots WHERE id = $1), (SELECT count(*) FROM ledger_postings WHERE kind LIKE 'booking%')`,
		p.sl.ID).Scan(&bookings, &booked, &postings)
	if bookings != 0 || booked != 0 || postings != 0 {
		t.Errorf("after failures: %d bookings, %d booked, %d booking postings", bookings, booked, postings)
	}
	if pts, cny := p.balances(t, card); pts != "299" || cny != "49.99" {
		t.Errorf("balances = %s, %s", pts, cny)
	}
	p.verify(t)
}

// TestPaidCancellationRefund: a free cancellation refunds (once), a late one keeps the charge.
func TestPaidCancellationRefund(t *testing.T) {
	p := setupPaid(t)
	card1, s1 := p.member(t, "1000", "0")
	card2, s2 := p.member(t, "0", "100.00")
	b1, b2 := p.book(t, s1, PayPoints), p.book(t, s2, PayStoredValue)
	p.cancel(t, s1, b1) // 24 hours before: free
	if _, err := p.svc.CancelBooking(s1, b1.ID); !errors.Is(err, ErrNotCancellable) {
		t.Errorf("second cancel: %v", err)
	}
	if pts, _ := p.balances(t, card1); pts != "1000" {
		t.Errorf("after free cancellation: %s points, want 1000", pts)
	}
	p.clock.Add(23 * time.Hour) // one hour before the start: late
	c, err := p.svc.CancelBooking(s2, b2.ID)
	if err != nil || !c.LateCancel {
		t.Fatalf("late cancel = %+v, %v", c, err)
	}
	if _, cny := p.balances(t, card2); cny != "50" {
		t.Errorf("after late cancellation: %s CNY, want 50 (charge kept)", cny)
	}
	p.verify(t)
}

// TestPointsRefundKeepsExpiry: the points of a freely cancelled booking come back as the
// lots they were taken from, expiring when those did, not as fresh points.
func TestPointsRefundKeepsExpiry(t *testing.T) {
	p := setupPaid(t)
	card, s := p.member(t, "1000", "0")
	var expiry time.Time
	if err := p.db.Pool.QueryRow(p.ctx, `SELECT expires_at FROM ledger_lots WHERE card_id = $1`, card).Scan(&expiry); err != nil {
		t.Fatal(err)
	}
	b := p.book(t, s, PayPoints)
	p.clock.Add(3 * time.Hour) // still free to cancel, and a fresh lot would expire later
	p.cancel(t, s, b)
	rows, err := p.db.Pool.Query(p.ctx, `SELECT expires_at, sum(remaining)::int FROM ledger_lots
		WHERE card_id = $1 AND remaining > 0 GROUP BY expires_at`, card)
	if err != nil {
		t.Fatal(err)
	}
	type lot struct {
		expires time.Time
		points  int
	}
	lots, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (lot, error) {
		var l lot
		return l, r.Scan(&l.expires, &l.points)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(lots) != 1 || !lots[0].expires.Equal(expiry) || lots[0].points != 1000 {
		t.Errorf("lots after the refund = %+v, want 1000 points expiring %s", lots, expiry)
	}
	p.verify(t)
}

// TestPaysFromTheCardHoldingTheValue: a member with an empty e-card (issued first) and a
// card holding points pays from the one holding them; when that card is cancelled before
// a free cancellation, the refund goes to the member's remaining active card.
func TestPaysFromTheCardHoldingTheValue(t *testing.T) {
	p := setupPaid(t)
	rich, s := p.member(t, "1000", "0")
	ecard := service.NewID()
	if _, err := p.db.Pool.Exec(p.ctx, `INSERT INTO cards (id, group_id, member_id, card_type_id, number, issued_at)
		SELECT $1, group_id, member_id, card_type_id, $2, issued_at - interval '1 day' FROM cards WHERE id = $3`,
		ecard, "E"+ecard.String()[24:], rich); err != nil {
		t.Fatal(err)
	}
	b := p.book(t, s, PayPoints) // with the points on the second card
	if pts, _ := p.balances(t, rich); pts != "700" {
		t.Errorf("the card holding the points has %s, want 700", pts)
	}
	if _, err := p.db.Pool.Exec(p.ctx, `UPDATE cards SET status = 'cancelled' WHERE id = $1`, rich); err != nil {
		t.Fatal(err)
	}
	p.cancel(t, s, b)
	if pts, _ := p.balances(t, ecard); pts != "300" {
		t.Errorf("the refund went elsewhere: the active card has %s points, want 300", pts)
	}
	p.verify(t)
}
