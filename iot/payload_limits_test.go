package iot_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestOversizedPayloads: the embedded broker refuses a 50 MB publish (the connection
// ends, nothing is acknowledged or stored) and its Close returns promptly afterwards;
// Mosquitto delivers it, and the bridge keeps a 4 KB prefix in the dead letter with
// the size and hash in its reason. A normal reading afterwards is stored.
func TestOversizedPayloads(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		m := e.device(devices.NewDevice{ID: "m1", Type: devices.Meter})
		e.start()
		big := `{"id":"big","ts":"2026-12-01T10:00:00Z","value":"` + strings.Repeat("9", 50<<20) + `"}`
		c := e.publisher("m1")
		tok := c.Publish(e.topic(m, "reading"), 1, false, big)
		acked := tok.WaitTimeout(30*time.Second) && tok.Error() == nil
		if e.embedded == acked {
			t.Fatalf("50 MB publish acknowledged: %v (embedded %v, err %v)", acked, e.embedded, tok.Error())
		}
		if e.embedded {
			c = e.publisher("m1") // the refused one's connection is closed
		}
		e.publish(c, e.topic(m, "reading"), reading("ok", 0, "1"))
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
		if e.embedded {
			if n := e.count(`SELECT count(*) FROM dead_letters`); n != 0 {
				t.Fatalf("%d dead letters", n)
			}
			e.stop()
			closed := make(chan error, 1)
			go func() { closed <- e.broker.Close() }()
			select {
			case err := <-closed:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the broker's Close did not return within 5 s")
			}
		}
	})
}

// TestEmbeddedBrokerHugePacketBoundedMemory: a device streams a 50 MB PUBLISH to the
// embedded broker (as iot.StartRunning runs it) from a 64 KB buffer; the broker ends
// the connection after the header without acknowledging or storing anything, its heap
// grows by far less than the payload, and it stops promptly. Not parallel: it measures
// the process's heap.
func TestEmbeddedBrokerHugePacketBoundedMemory(t *testing.T) {
	e := newEnv(t, true)
	e.device(newMeter("m1"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := iot.StartRunning(ctx, e.cfg, iot.Deps{DB: e.db, Devices: e.devs, Handlers: e.handlers})
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = r.Stop(context.Background())
		}
	})
	e.brokerURL = "tcp://" + r.Broker.Addr()
	topic := iot.Topic{MallCode: e.mallCode, Type: devices.Meter, DeviceID: "m1", Event: "reading"}.String(e.root)

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	sampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // the heap's high-water mark while the packet is sent
		defer close(sampled)
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-sampling:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()

	conn := rawConnectWithWill(t, e.brokerURL, "m1-"+storetest.RandomName(""), "m1", e.passwords["m1"], "")
	defer conn.Close()
	const size = 50 << 20
	var hdr bytes.Buffer
	hdr.WriteByte(0x32) // PUBLISH, QoS 1
	remaining := 2 + len(topic) + 2 + size
	for { // variable-length remaining length
		b := byte(remaining % 128)
		remaining /= 128
		if remaining > 0 {
			b |= 0x80
		}
		hdr.WriteByte(b)
		if remaining == 0 {
			break
		}
	}
	hdr.Write([]byte{byte(len(topic) >> 8), byte(len(topic))})
	hdr.WriteString(topic)
	hdr.Write([]byte{0, 1}) // packet id
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	sent, werr := conn.Write(hdr.Bytes())
	chunk := bytes.Repeat([]byte("9"), 64<<10)
	for werr == nil && sent < hdr.Len()+size {
		var n int
		n, werr = conn.Write(chunk[:min(len(chunk), hdr.Len()+size-sent)])
		sent += n
	}
	// Whether or not the kernel took all of it, the broker must not answer with a PUBACK:
	// the connection ends.
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	reply, rerr := io.ReadAll(conn)
	var nerr net.Error
	if errors.As(rerr, &nerr) && nerr.Timeout() {
		t.Fatalf("the connection stayed open after a 50 MB publish (%d bytes sent)", sent)
	}
	if len(reply) > 0 && reply[0]>>4 == packets.Puback {
		t.Fatalf("50 MB publish acknowledged: %x", reply)
	}
	close(sampling)
	<-sampled
	grown := int64(peak.Load()) - int64(base)
	t.Logf("sent %d of %d bytes (write error: %v); broker's reply %x; heap grew by at most %d KiB",
		sent, hdr.Len()+size, werr, reply, grown/1024)
	if grown > 8<<20 {
		t.Fatalf("heap grew by %d MiB for a 50 MB packet", grown>>20)
	}

	// A normal reading on a new connection is taken, nothing else was stored.
	c := e.publisher("m1")
	e.publish(c, topic, reading("ok", 0, "1"))
	if n := e.count(readings, "m1"); n != 1 { // acknowledged means committed
		t.Fatalf("%d readings, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM dead_letters`); n != 0 {
		t.Fatalf("%d dead letters", n)
	}
	began := time.Now()
	stopped = true
	if err := r.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Fatalf("stop took %v", d)
	}
}
