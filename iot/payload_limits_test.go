package iot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/devices"
)

// TestOversizedPayloads: Mosquitto delivers a 50 MB publish; the bridge keeps a 4 KB
// prefix in the dead letter with the size and hash in its reason, and a normal reading
// afterwards is stored. (The embedded broker's packet limit is not set yet: with
// mochi's MaximumPacketSize, a client cut off mid-packet kept the broker's Close
// waiting; see the closing note of this change.)
func TestOversizedPayloads(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		if e.embedded {
			t.Skip("the embedded broker has no packet limit yet")
		}
		m := e.device(devices.NewDevice{ID: "m1", Type: devices.Meter})
		e.start()
		big := `{"id":"big","ts":"2026-12-01T10:00:00Z","value":"` + strings.Repeat("9", 50<<20) + `"}`
		c := e.publisher("m1")
		if tok := c.Publish(e.topic(m, "reading"), 1, false, big); !tok.WaitTimeout(30*time.Second) || tok.Error() != nil {
			t.Fatalf("publish: %v", tok.Error())
		}
		e.publish(c, e.topic(m, "reading"), reading("ok", 0, "1"))
		e.waitCount(1, readings, "m1")
		e.waitCount(1, `SELECT count(*) FROM dead_letters WHERE device_id = 'm1'`)
		if n := e.count(`SELECT count(*) FROM dead_letters WHERE length(payload) > 4096`); n != 0 {
			t.Fatalf("%d dead letters keep more than 4 KB", n)
		}
		if n := e.count(`SELECT count(*) FROM meter_readings WHERE device_id = 'm1'`); n != 1 {
			t.Fatalf("%d readings, want the normal one only", n)
		}
	})
}
