package iot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/devices"
)

// TestOversizedPayloads: the embedded broker refuses a 50 MB publish before reading it
// (the connection ends, nothing is acknowledged or stored); on Mosquitto, which
// delivers it, the bridge keeps a 4 KB prefix in the dead letter with the size and
// hash in its reason. A normal reading afterwards is stored.
func TestOversizedPayloads(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		m := e.device(devices.NewDevice{ID: "m1", Type: devices.Meter})
		e.start()
		big := `{"id":"big","ts":"2026-12-01T10:00:00Z","value":"` + strings.Repeat("9", 50<<20) + `"}`
		c := e.publisher("m1")
		tok := c.Publish(e.topic(m, "reading"), 1, false, big)
		acked := tok.WaitTimeout(20*time.Second) && tok.Error() == nil
		if e.embedded && acked && c.IsConnectionOpen() {
			t.Fatal("the embedded broker acknowledged a 50 MB publish")
		}
		c2 := e.publisher("m1")
		e.publish(c2, e.topic(m, "reading"), reading("ok", 0, "1"))
		e.waitCount(1, readings, "m1")
		if !e.embedded {
			e.waitCount(1, `SELECT count(*) FROM dead_letters WHERE device_id = 'm1'`)
		}
		if n := e.count(`SELECT count(*) FROM dead_letters WHERE length(payload) > 4096`); n != 0 {
			t.Fatalf("%d dead letters keep more than 4 KB", n)
		}
		if n := e.count(`SELECT count(*) FROM meter_readings WHERE device_id = 'm1'`); n != 1 {
			t.Fatalf("%d readings, want the normal one only", n)
		}
	})
}
