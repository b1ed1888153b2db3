package iot_test

import (
	"testing"

	"github.com/atrium-mall/atrium/service/devices"
)

// TestEventsATypeMayNotSendAreDeadLettersOfItsMall: a meter publishing a swipe, a
// checkpoint, a recognition or an unknown event gets each one into the dead letters,
// filed under the meter and its mall (where deadLetters(mallId:) shows it to staff),
// with a reason naming the type and the event.
func TestEventsATypeMayNotSendAreDeadLettersOfItsMall(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		m := e.device(devices.NewDevice{ID: "m1", Type: devices.Meter})
		e.start()
		c := e.publisher("m1")
		events := []string{"swipe", "checkpoint", "recognition", "bogus"}
		for _, ev := range events {
			e.publish(c, e.topic(m, ev), `{"id":"x-`+ev+`","ts":"2026-12-01T10:00:00Z"}`)
		}
		e.waitCount(len(events), `SELECT count(*) FROM dead_letters WHERE device_id = 'm1'`)
		for _, ev := range events {
			t.Run(ev, func(t *testing.T) {
				n := e.count(`SELECT count(*) FROM dead_letters WHERE device_id = 'm1' AND mall_id IS NOT NULL
					AND reason = 'a meter does not send "' || $1 || '" events'`, ev)
				if n != 1 {
					t.Fatalf("%d dead letters of the meter's mall for %s, want 1", n, ev)
				}
			})
		}
	})
}
