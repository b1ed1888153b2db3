package iot_test

import (
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestEmbeddedRestartLosesNothingAcknowledged: the server (embedded broker + bridge,
// iot.StartRunning as cmd/atrium runs it) is stopped gracefully and started again four
// times on the same address while meters publish QoS 1 readings, each on a new
// connection, retried until acknowledged. Every acknowledged reading is already
// stored when its PUBACK arrives, and every reading is stored exactly once.
func TestEmbeddedRestartLosesNothingAcknowledged(t *testing.T) {
	t.Parallel()
	e := newEnv(t, true)
	e.cfg.Listen = freeAddr(t)
	e.brokerURL = "tcp://" + e.cfg.Listen
	const meters = 4
	var ids []string
	for i := range meters {
		id := fmt.Sprint("m", i)
		e.device(newMeter(id))
		ids = append(ids, id)
	}
	deps := iot.Deps{DB: e.db, Devices: e.devs, Handlers: e.handlers}
	start := func() *iot.Running {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r, err := iot.StartRunning(ctx, e.cfg, deps)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	stop := func(r *iot.Running) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		began := time.Now()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
		if d := time.Since(began); d > 10*time.Second {
			t.Errorf("stop took %v", d)
		}
	}
	r := start()

	var (
		quit     = make(chan struct{})
		wg       sync.WaitGroup
		mu       sync.Mutex
		acked    = map[string][]string{} // device → acknowledged event ids
		attempts atomic.Int64
		missing  atomic.Int64 // acknowledged but not stored at the time of the PUBACK
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-quit:
					return
				default:
				}
				ev := fmt.Sprintf("%s-%04d", id, n)
				topic := iot.Topic{MallCode: e.mallCode, Type: "meter", DeviceID: id, Event: "reading"}.String(e.root)
				for !publishOnce(e, id, topic, reading(ev, n, fmt.Sprint(n)), &attempts) {
					time.Sleep(20 * time.Millisecond) // not acknowledged: publish it again on a new connection
				}
				if e.count(`SELECT count(*) FROM meter_readings WHERE device_id = $1 AND event_id = $2`, id, ev) != 1 {
					missing.Add(1)
				}
				mu.Lock()
				acked[id] = append(acked[id], ev)
				mu.Unlock()
			}
		}()
	}
	for range 4 {
		time.Sleep(700 * time.Millisecond)
		stop(r)
		time.Sleep(100 * time.Millisecond) // devices find nobody listening, and retry
		r = start()
	}
	time.Sleep(500 * time.Millisecond)
	close(quit)
	wg.Wait()
	stop(r)

	total := 0
	for _, id := range ids {
		stored := map[string]int{}
		rows, err := e.db.Pool.Query(context.Background(), `SELECT event_id, count(*) FROM meter_readings WHERE device_id = $1 GROUP BY event_id`, id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var ev string
			var n int
			if err := rows.Scan(&ev, &n); err != nil {
				t.Fatal(err)
			}
			stored[ev] = n
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		for ev, n := range stored {
			if n != 1 {
				t.Errorf("%s stored %d times", ev, n)
			}
		}
		for _, ev := range acked[id] {
			if stored[ev] != 1 {
				t.Errorf("%s acknowledged, stored %d times", ev, stored[ev])
			}
		}
		if events := e.count(`SELECT count(*) FROM iot_events WHERE device_id = $1`, id); events != len(stored) {
			t.Errorf("%s: %d events, %d readings", id, events, len(stored))
		}
		total += len(acked[id])
	}
	if n := missing.Load(); n != 0 {
		t.Errorf("%d readings acknowledged before they were stored", n)
	}
	if n := e.count(`SELECT count(*) FROM dead_letters`); n != 0 {
		t.Errorf("%d dead letters", n)
	}
	if total < 4*meters {
		t.Fatalf("only %d readings acknowledged", total)
	}
	t.Logf("%d readings acknowledged and stored once each, over 4 restarts (%d publish attempts)", total, attempts.Load())
}

// publishOnce connects as device id on a new connection, publishes QoS 1 and reports
// whether the broker acknowledged it.
func publishOnce(e *env, id, topic, payload string, attempts *atomic.Int64) bool {
	attempts.Add(1)
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(e.brokerURL).SetClientID(storetest.RandomName(id + "-")).
		SetUsername(id).SetPassword(e.passwords[id]).SetAutoReconnect(false).SetConnectRetry(false).
		SetConnectTimeout(2 * time.Second).SetWriteTimeout(2 * time.Second))
	if tok := c.Connect(); !tok.WaitTimeout(3*time.Second) || tok.Error() != nil {
		return false
	}
	defer c.Disconnect(0)
	tok := c.Publish(topic, 1, false, payload)
	return tok.WaitTimeout(5*time.Second) && tok.Error() == nil
}

// freeAddr is a loopback address with a port free now (kept across restarts).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
