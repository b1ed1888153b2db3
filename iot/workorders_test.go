package iot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/workers"
)

// TestBackwardsReadingOpensOneOrder: end to end over MQTT, a meter publishing readings
// that go backwards opens one work order, counted on for the repeat.
func TestBackwardsReadingOpensOneOrder(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s := servicetest.New(t, e.db)
		e.handlers = iot.Services{Anomalies: workorders.Hooks{S: s.WorkOrders}}
		m, c := e.live(newMeter("m1"))
		e.publish(c, e.topic(m, "reading"), reading("r1", 0, "100"))
		e.publish(c, e.topic(m, "reading"), reading("r2", 1, "90"))
		e.publish(c, e.topic(m, "reading"), reading("r3", 2, "80"))
		e.waitCount(3, `SELECT count(*) FROM iot_events WHERE device_id = 'm1'`)
		if n := e.count(`SELECT count(*) FROM wo_orders WHERE alarm_source = 'm1' AND alarm_kind = 'meter_backwards'`); n != 1 {
			t.Fatalf("%d orders, want 1", n)
		}
		if n := e.count(`SELECT repeat_count FROM wo_orders WHERE alarm_source = 'm1'`); n != 2 {
			t.Fatalf("repeat count %d, want 2", n)
		}
	})
}

// TestHighConsumptionOpensOneOrder: end to end over MQTT, a meter using 100 a day for
// four days and then 1,000 in a day (far above three times its rolling average) opens
// one work order; a further high reading counts on it.
func TestHighConsumptionOpensOneOrder(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s := servicetest.New(t, e.db)
		e.handlers = iot.Services{Anomalies: workorders.Hooks{S: s.WorkOrders}}
		m, c := e.live(newMeter("m1"))
		const day = 24 * 60
		for i, v := range []string{"0", "100", "200", "300", "400"} {
			e.publish(c, e.topic(m, "reading"), reading(fmt.Sprintf("r%d", i), i*day, v))
		}
		e.waitCount(5, `SELECT count(*) FROM iot_events WHERE device_id = 'm1'`)
		high := `SELECT count(*) FROM wo_orders WHERE alarm_source = 'm1' AND alarm_kind = 'meter_high_consumption'`
		if n := e.count(high); n != 0 {
			t.Fatalf("%d orders for an ordinary week", n)
		}
		e.publish(c, e.topic(m, "reading"), reading("r5", 5*day, "1400"))
		e.waitCount(6, `SELECT count(*) FROM iot_events WHERE device_id = 'm1'`)
		if n := e.count(high); n != 1 {
			t.Fatalf("%d orders, want 1", n)
		}
		// A batch checks each meter once, at its latest reading: the next one is sent
		// after the first was processed.
		e.publish(c, e.topic(m, "reading"), reading("r6", 5*day+60, "1500"))
		e.waitCount(7, `SELECT count(*) FROM iot_events WHERE device_id = 'm1'`)
		if n := e.count(high); n != 1 {
			t.Fatalf("%d orders, want 1", n)
		}
		if n := e.count(`SELECT repeat_count FROM wo_orders WHERE alarm_source = 'm1'`); n != 2 {
			t.Fatalf("repeat count %d, want 2", n)
		}
	})
}

// TestSilentDeviceOpensOneOrder: end to end over MQTT, a device seen through the bridge
// that then goes silent gets, from the device health job, one work order however often
// the job runs; publishing again clears the alarm, noted on the order.
func TestSilentDeviceOpensOneOrder(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		s := servicetest.New(t, e.db)
		m, c := e.live(newMeter("m1"))
		e.publish(c, e.topic(m, "reading"), reading("r1", 0, "100"))
		e.waitCount(1, `SELECT count(*) FROM devices WHERE id = 'm1' AND online AND last_seen_at IS NOT NULL`)
		// The bridge stamps arrivals with the wall clock, so the silence is made by dating
		// the last arrival back past the threshold rather than by running the job in the
		// future: an alarm raised at a future instant is not cleared by an earlier arrival.
		e.exec(`UPDATE devices SET last_seen_at = last_seen_at - $1::interval WHERE id = 'm1'`,
			(workers.DeviceSilence + time.Minute).String())
		job := &workers.CheckDevicesWorker{Devices: s.Devices, Now: time.Now}
		offline := `SELECT count(*) FROM wo_orders WHERE alarm_source = 'm1' AND alarm_kind = 'offline'`
		for range 2 {
			work(t, job.Work)
			if n := e.count(offline); n != 1 {
				t.Fatalf("%d orders, want 1", n)
			}
		}
		if n := e.count(`SELECT repeat_count FROM wo_orders WHERE alarm_source = 'm1'`); n != 1 {
			t.Fatalf("repeat count %d, want 1 (one alarm)", n)
		}
		e.publish(c, e.topic(m, "reading"), reading("r2", 1, "101"))
		e.waitCount(1, `SELECT count(*) FROM devices WHERE id = 'm1' AND online`)
		work(t, job.Work)
		if n := e.count(offline + ` AND alarm_cleared_at IS NOT NULL`); n != 1 {
			t.Fatal("the device's return is not noted on its order")
		}
		if n := e.count(`SELECT count(*) FROM wo_orders`); n != 1 {
			t.Fatalf("%d orders, want 1", n)
		}
	})
}

// TestMissedCheckpointOpensOneOrder: end to end over MQTT, a guard's scans reach every
// checkpoint of a round but one; the missed-patrol job opens one work order, for that
// checkpoint, however often it runs.
func TestMissedCheckpointOpensOneOrder(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		place, err := servicetest.New(t, e.db).Org.MallPlace(ctx, nil, e.mall)
		if err != nil {
			t.Fatal(err)
		}
		day := time.Date(2026, 6, 1, 0, 0, 0, 0, place.Loc)
		s := servicetest.New(t, e.db, servicetest.Clock(func() time.Time { return day }))
		cps := e.route(s.Patrol, 8*60, "CP1", "CP2", "CP3") // windows [0,15] [10,25] [20,35]
		start := day.Add(8 * time.Hour)
		g := e.device(devices.NewDevice{ID: "g1", Type: devices.Patrol})
		e.start()
		c := e.publisher("g1")
		e.publish(c, e.topic(g, "checkpoint"), scan("k1", start.Add(5*time.Minute), "CP1"))
		e.publish(c, e.topic(g, "checkpoint"), scan("k3", start.Add(25*time.Minute), "CP3"))
		e.waitCount(2, `SELECT count(*) FROM patrol_scans WHERE checkpoint_id IS NOT NULL`)
		job := &workers.FlagMissedPatrolsWorker{Patrol: s.Patrol, Now: func() time.Time { return start.Add(2 * time.Hour) }}
		for range 2 {
			work(t, job.Work)
			if n := e.count(`SELECT count(*) FROM wo_orders WHERE alarm_kind = 'patrol_missed'`); n != 1 {
				t.Fatalf("%d orders, want 1", n)
			}
		}
		if n := e.count(`SELECT count(*) FROM wo_orders WHERE alarm_source = $1 AND repeat_count = 1`, cps[1].String()); n != 1 {
			t.Fatal("the order is not CP2's, flagged once")
		}
	})
}

// route creates checkpoints tagged tags and a route through them with one round at
// minute round, the i-th checkpoint's window [10i, 10i+15] minutes after the start.
func (e *env) route(p *patrol.Service, round int, tags ...string) []uuid.UUID {
	e.t.Helper()
	admin := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: e.group}))
	ids := make([]uuid.UUID, len(tags))
	var pts []patrol.Point
	for i, tag := range tags {
		id, err := p.CreateCheckpoint(admin, e.mall, tag, tag)
		if err != nil {
			e.t.Fatal(err)
		}
		ids[i] = id
		pts = append(pts, patrol.Point{CheckpointID: id, FromMin: i * 10, ToMin: i*10 + 15})
	}
	if _, err := p.CreateRoute(admin, patrol.Route{MallID: e.mall, Name: "Night", RoundStarts: []int{round},
		Points: pts}); err != nil {
		e.t.Fatal(err)
	}
	return ids
}

func scan(id string, at time.Time, tag string) string {
	return fmt.Sprintf(`{"id":%q,"ts":%q,"badge":"G-7","tag":%q}`, id, at.Format(time.RFC3339), tag)
}

// work runs a job's Work as River would, without the queue.
func work[A river.JobArgs](t *testing.T, fn func(context.Context, *river.Job[A]) error) {
	t.Helper()
	if err := fn(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}
