package iot_test

import (
	"testing"

	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/workorders"
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
