package iot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// TestLoungeReaderRedeemsBooking: swipes at a reader bound to a lounge, published 5 times
// with one event id and twice more with others, redeem the member's booking once.
func TestLoungeReaderRedeemsBooking(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		clock := redemptiontest.NewClock(ts0.Add(-24 * time.Hour))
		bks := e.serve(servicetest.Clock(clock.Now)).Bookings
		staff := servicetest.Context(servicetest.Staff(auth.RoleServiceDesk, auth.LevelMall, e.mall))
		res, err := bks.CreateResource(staff, bookings.Resource{MallID: e.mall, Name: "VIP lounge", Kind: "lounge"})
		if err != nil {
			t.Fatal(err)
		}
		slot, err := bks.CreateSlot(staff, res.ID, ts0.Add(-5*time.Minute), ts0.Add(55*time.Minute), 4)
		if err != nil {
			t.Fatal(err)
		}
		member := e.member(nil, "UID-1")
		if _, err := bks.CreateBooking(redemptiontest.Shopper(ctx, member), slot.ID, uuid.NewString()); err != nil {
			t.Fatal(err)
		}
		reader, c := e.live(devices.NewDevice{ID: "lr1", Type: devices.CardReader, BindingKind: "resource", BindingRef: res.ID.String()})
		swipe := func(id string) string {
			return fmt.Sprintf(`{"id":%q,"ts":%q,"uid":"UID-1"}`, id, ts0.Format(time.RFC3339))
		}
		for range 5 {
			e.publish(c, e.topic(reader, "swipe"), swipe("s1"))
		}
		e.publish(c, e.topic(reader, "swipe"), swipe("s2"))
		e.publish(c, e.topic(reader, "swipe"), swipe("s3"))
		e.waitCount(3, `SELECT count(*) FROM iot_events`)
		for sql, want := range map[string]int{
			`SELECT count(*) FROM visits WHERE result = 'ok'`:                               3,
			`SELECT count(*) FROM bookings WHERE status = 'used'`:                           1,
			`SELECT count(*) FROM redemption_codes WHERE status = 'redeemed'`:               1,
			`SELECT count(*) FROM redemptions WHERE staff_id IS NULL AND voided_at IS NULL`: 1,
			`SELECT count(*) FROM iot_events WHERE outcome = 'redeemed'`:                    1,
			`SELECT count(*) FROM iot_events WHERE outcome = 'already_redeemed'`:            2,
			`SELECT count(*) FROM dead_letters`:                                             0,
		} {
			if n := e.count(sql); n != want {
				t.Errorf("%s = %d, want %d", sql, n, want)
			}
		}
	})
}
