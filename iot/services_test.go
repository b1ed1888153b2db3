package iot_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// TestEachEventKind: every kind of event, each published 5 times, has its effect once.
func TestEachEventKind(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		redis := e.serve().Redis
		reader := e.device(devices.NewDevice{ID: "r1", Type: devices.CardReader, BindingRef: "North"})
		cam := e.device(devices.NewDevice{ID: "c1", Type: devices.FaceCamera, BindingRef: "North"})
		guard := e.device(devices.NewDevice{ID: "p1", Type: devices.Patrol, BindingRef: "CP1"})
		meter := e.device(newMeter("m1"))
		member := e.member([]string{"vip"}, "UID-1", "UID-FROZEN")
		e.exec(`UPDATE cards SET status = 'frozen' WHERE uid = 'UID-FROZEN'`)
		e.exec(`INSERT INTO member_faces (face_id, member_id, consent_at) VALUES ('F1', $1, now())`, member)
		e.exec(`INSERT INTO patrol_checkpoints (id, mall_id, tag, place) VALUES ($1, $2, 'CP1', 'Gate')`, uuid.New(), e.mall)
		sub := redis.Subscribe(ctx, arrivals.VIPChannel(redis, e.mall.String()))
		defer sub.Close()
		if _, err := sub.Receive(ctx); err != nil {
			t.Fatal(err)
		}
		e.start()
		ts := ts0.Format(time.RFC3339)
		snap := base64.StdEncoding.EncodeToString([]byte("\xff\xd8\xffjpeg"))
		events := []struct {
			c       string
			topic   string
			payload string
		}{
			{"r1", e.topic(reader, "swipe"), fmt.Sprintf(`{"id":"s1","ts":%q,"uid":"UID-1"}`, ts)},
			{"r1", e.topic(reader, "swipe"), fmt.Sprintf(`{"id":"s2","ts":%q,"uid":"UID-FROZEN"}`, ts)},
			{"c1", e.topic(cam, "recognition"), fmt.Sprintf(`{"id":"f1","ts":%q,"faceId":"F1","snapshotBase64":%q}`, ts, snap)},
			{"c1", e.topic(cam, "recognition"), fmt.Sprintf(`{"id":"f2","ts":%q,"faceId":"F-UNKNOWN"}`, ts)},
			{"p1", e.topic(guard, "checkpoint"), fmt.Sprintf(`{"id":"k1","ts":%q,"badge":"G-7"}`, ts)},
			{"m1", e.topic(meter, "reading"), fmt.Sprintf(`{"id":"x1","ts":%q,"value":"12.5"}`, ts)},
		}
		clients := map[string]interface{ Disconnect(uint) }{}
		for _, ev := range events {
			c := e.publisher(ev.c)
			clients[ev.c] = c
			for range 5 {
				e.publish(c, ev.topic, ev.payload)
			}
		}
		e.waitCount(6, `SELECT count(*) FROM iot_events`)
		for sql, want := range map[string]int{
			`SELECT count(*) FROM visits WHERE result = 'ok'`:                                   1,
			`SELECT count(*) FROM visits WHERE result = 'refused' AND reason = 'frozen'`:        1,
			`SELECT count(*) FROM visit_awards WHERE posting_id IS NOT NULL`:                    1,
			`SELECT count(*) FROM arrivals WHERE vip AND notified AND snapshot_key IS NOT NULL`: 1,
			`SELECT count(*) FROM arrivals`:                                                     1,
			`SELECT count(*) FROM patrol_scans WHERE checkpoint_id IS NOT NULL`:                 1,
			`SELECT count(*) FROM meter_readings`:                                               1,
			`SELECT count(*) FROM iot_events WHERE outcome = 'refused:frozen'`:                  1,
			`SELECT count(*) FROM iot_events WHERE outcome = 'unknown_face'`:                    1,
			`SELECT count(*) FROM dead_letters`:                                                 0,
		} {
			if n := e.count(sql); n != want {
				t.Errorf("%s = %d, want %d", sql, n, want)
			}
		}
		msg, err := sub.ReceiveMessage(ctx)
		if err != nil || msg.Payload == "" {
			t.Fatalf("no VIP notification: %v", err)
		}
		// Status: retained offline, then online.
		r := e.publisher("r1")
		tok := r.Publish(e.topic(reader, "status"), 1, true, "offline")
		tok.Wait()
		e.waitCount(1, `SELECT count(*) FROM devices WHERE id = 'r1' AND NOT online`)
		tok = r.Publish(e.topic(reader, "status"), 1, true, `{"status":"online"}`)
		tok.Wait()
		e.waitCount(1, `SELECT count(*) FROM devices WHERE id = 'r1' AND online`)
		r.Publish(e.topic(reader, "status"), 1, true, "").Wait() // clear the retained message
	})
}

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
