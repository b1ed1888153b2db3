package iot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestLoungeReaderRedeemsBooking: swipes at a reader bound to a lounge, published 5 times
// with one event id and twice more with others, redeem the member's booking once.
func TestLoungeReaderRedeemsBooking(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		clock := redemptiontest.NewClock(ts0.Add(-24 * time.Hour))
		s := servicetest.New(t, e.db, servicetest.Objects(storetest.S3(t)), servicetest.Clock(clock.Now))
		bks := s.Bookings
		e.handlers = iot.Services{Arrivals: s.Arrivals}
		staff := servicetest.Context(servicetest.Staff(auth.RoleServiceDesk, auth.LevelMall, e.mall))
		res, err := bks.CreateResource(staff, bookings.Resource{MallID: e.mall, Name: "VIP lounge", Kind: "lounge"})
		if err != nil {
			t.Fatal(err)
		}
		slot, err := bks.CreateSlot(staff, res.ID, ts0.Add(-5*time.Minute), ts0.Add(55*time.Minute), 4)
		if err != nil {
			t.Fatal(err)
		}
		member, cardType := uuid.New(), uuid.New()
		e.exec(`INSERT INTO members (id, group_id) VALUES ($1, $2)`, member, e.group)
		e.exec(`INSERT INTO card_types (id, group_id, code, name, kind) VALUES ($1, $2, 'std', 'Std', 'points')`, cardType, e.group)
		e.exec(`INSERT INTO cards (id, group_id, member_id, card_type_id, number, uid) VALUES ($1, $2, $3, $4, 'N1', 'UID-1')`,
			uuid.New(), e.group, member, cardType)
		if _, err := bks.CreateBooking(redemptiontest.Shopper(ctx, member), slot.ID, uuid.NewString()); err != nil {
			t.Fatal(err)
		}
		reader := e.device(devices.NewDevice{ID: "lr1", Type: devices.CardReader, BindingKind: "resource", BindingRef: res.ID.String()})
		e.start()
		c := e.publisher("lr1")
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
