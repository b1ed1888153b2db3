package iot_test

import (
	"context"
	"fmt"
	"net"
	"os"
	osexec "os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

const benchDevices = 50

// burst is how many readings are published before waiting for them to be consumed on
// the system Mosquitto: below its default max_queued_messages (1000), beyond which it
// drops QoS 1 messages for a subscriber that falls behind. A project-owned broker
// (ownBroker) has no such limit and takes everything at once.
const burst = 900

// BenchmarkMeterIngest publishes b.N meter readings from many simulated meters through a
// project-owned Mosquitto and compares, alternating the three sides round by round
// (A B C, C A B, B C A), the events per second committed to PostgreSQL by the bridge
// against two baselines: CopyFrom of the same rows into the same tables (claims, event
// log, readings; batches of 500, one transaction each) and the broker alone delivering
// to a subscriber that does nothing. It reports each side's median rate, the bridge's
// min/max, and the ratios of the medians.
//
//	go test -run '^$' -bench MeterIngest -benchtime 5000x ./iot
func BenchmarkMeterIngest(b *testing.B) {
	db := storetest.DB(b)
	ctx := context.Background()
	url, limit := ownBroker(b)
	_, mall, code := newMall(b, db)
	root := storetest.RandomName("bench-")
	devs := servicetest.New(b, db).Devices
	var topics []string
	for i := range benchDevices {
		d, _, err := devs.RegisterUnchecked(ctx, devices.NewDevice{ID: fmt.Sprintf("m%03d", i), MallID: mall,
			Type: devices.Meter, MeterKind: "electricity"})
		if err != nil {
			b.Fatal(err)
		}
		topics = append(topics, iot.Topic{MallCode: code, Type: d.Type, DeviceID: d.ID, Event: "reading"}.String(root))
	}
	n := b.N
	seq := 0 // each run's readings come after the previous run's (no backwards readings)
	// Each side sets up (bridge started, subscriber subscribed) untimed and returns the
	// timed part and its teardown.
	sides := map[string]func(base int) (func(), func()){
		"bridge": func(base int) (func(), func()) {
			reg := prometheus.NewRegistry()
			stop, err := iot.Start(ctx, iot.Config{URL: url, ClientID: storetest.RandomName("bench-bridge-"),
				Root: root, BatchSize: 500, Buffer: 5000}, iot.Deps{DB: db, Devices: devs, Handlers: iot.Services{},
				Metrics: iot.NewMetrics(reg)})
			if err != nil {
				b.Fatal(err)
			}
			return func() {
				for lo := 0; lo < n; lo += limit {
					publishAll(b, url, topics, base, lo, min(n, lo+limit), "bridge")
					waitEvents(b, reg, min(n, lo+limit))
				}
			}, func() { _ = stop(ctx) }
		},
		"copy": func(base int) (func(), func()) { return func() { copyOnly(b, db, base, n) }, func() {} },
		"broker": func(base int) (func(), func()) {
			return brokerOnly(b, url, limit, root, topics, base, n)
		},
	}
	order := []string{"bridge", "copy", "broker"}
	rates := map[string][]float64{}
	b.ResetTimer()
	const rounds = 3
	for r := range rounds {
		for k := range order {
			side := order[(k+rounds-r)%len(order)]
			base := seq
			seq += n
			timed, teardown := sides[side](base)
			rates[side] = append(rates[side], rate(n, timed))
			teardown()
		}
	}
	b.StopTimer()
	med := func(side string) float64 { return slices.Sorted(slices.Values(rates[side]))[rounds/2] }
	b.ReportMetric(med("bridge"), "events/s")
	b.ReportMetric(slices.Min(rates["bridge"]), "min-events/s")
	b.ReportMetric(slices.Max(rates["bridge"]), "max-events/s")
	b.ReportMetric(med("copy"), "copy-events/s")
	b.ReportMetric(med("broker"), "broker-events/s")
	b.ReportMetric(med("bridge")/med("copy"), "x-copy")
	b.ReportMetric(med("bridge")/med("broker"), "x-broker")
	b.ReportMetric(med("bridge")/min(med("copy"), med("broker")), "x-lower")
	b.ReportMetric(min(med("copy"), med("broker")), "base-events/s") // the lower baseline, for make bench's table
	b.ReportMetric(med("bridge")/min(med("copy"), med("broker")), "x-med")
}

// ownBroker starts a Mosquitto owned by the benchmark (no queue or in-flight limit, no
// persistence) on a free port and returns its URL and how many messages may be
// published before waiting for them; without a mosquitto binary it falls back to the
// test broker, published to in bursts under its queue limit.
func ownBroker(b *testing.B) (string, int) {
	bin, err := osexec.LookPath("mosquitto")
	if err != nil {
		if bin, err = osexec.LookPath("/usr/sbin/mosquitto"); err != nil {
			b.Log("no mosquitto binary: using the test broker")
			return storetest.MQTTURL(), burst
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	conf := filepath.Join(b.TempDir(), "mosquitto.conf")
	err = os.WriteFile(conf, []byte(fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n"+
		"max_queued_messages 0\nmax_inflight_messages 0\nlog_dest none\n", port)), 0o600)
	if err != nil {
		b.Fatal(err)
	}
	cmd := osexec.Command(bin, "-c", conf)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID(storetest.RandomName("probe-")))
		if tok := c.Connect(); tok.Wait() && tok.Error() == nil {
			c.Disconnect(0)
			return url, 1 << 30
		}
		if time.Now().After(deadline) {
			b.Fatal("own mosquitto did not start")
		}
	}
}

func rate(n int, fn func()) float64 {
	start := time.Now()
	fn()
	return float64(n) / time.Since(start).Seconds()
}

// benchReading is the payload of reading number base+j.
func benchReading(run string, base, j int) string {
	return fmt.Sprintf(`{"id":"%s-%d","ts":%q,"value":"%d"}`, run, base+j,
		ts0.Add(time.Duration(base+j)*time.Second).Format(time.RFC3339), base+j)
}

// publishAll publishes readings lo..hi spread over the meters' topics, QoS 1, one
// publisher per meter, concurrently.
func publishAll(b *testing.B, url string, topics []string, base, lo, hi int, run string) {
	var wg sync.WaitGroup
	for i, topic := range topics {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID(storetest.RandomName("pub-")))
			if tok := c.Connect(); tok.Wait() && tok.Error() != nil {
				b.Error(tok.Error())
				return
			}
			defer c.Disconnect(0)
			// Each meter waits for its PUBACK before the next reading, as a device does.
			for j := lo + i; j < hi; j += len(topics) {
				c.Publish(topic, 1, false, benchReading(run, base, j)).Wait()
			}
		}()
	}
	wg.Wait()
}

// brokerOnly: a subscriber that does nothing receives n messages. It subscribes (untimed)
// before anything is published; the publishers publish at most limit messages before
// waiting for them to arrive.
func brokerOnly(b *testing.B, url string, limit int, root string, topics []string, base, n int) (func(), func()) {
	var got atomic.Int64
	sub := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID(storetest.RandomName("nop-")))
	if tok := sub.Connect(); tok.Wait() && tok.Error() != nil {
		b.Fatal(tok.Error())
	}
	if tok := sub.Subscribe(root+"/#", 1, func(mqtt.Client, mqtt.Message) { got.Add(1) }); tok.Wait() && tok.Error() != nil {
		b.Fatal(tok.Error())
	}
	return func() {
		for lo := 0; lo < n; lo += limit {
			hi := min(n, lo+limit)
			publishAll(b, url, topics, base, lo, hi, "nop")
			for deadline := time.Now().Add(time.Minute); got.Load() < int64(hi); time.Sleep(time.Millisecond) {
				if time.Now().After(deadline) {
					b.Fatalf("subscriber got %d of %d", got.Load(), hi)
				}
			}
		}
	}, func() { sub.Disconnect(0) }
}

// copyOnly inserts the rows the bridge writes for n readings (the claim, the event log
// row, the reading) with CopyFrom, in batches of 500 like the bridge, a transaction each.
func copyOnly(b *testing.B, db *storage.DB, base, n int) {
	ctx := context.Background()
	for lo := 0; lo < n; lo += 500 {
		var claims, events, readings [][]any
		now := time.Now()
		for j := lo; j < min(n, lo+500); j++ {
			dev, id, at := fmt.Sprintf("m%03d", j%benchDevices), fmt.Sprintf("copy-%d", base+j), ts0.Add(time.Duration(base+j)*time.Second)
			claims = append(claims, []any{dev, id, now})
			events = append(events, []any{dev, id, "reading", at, "ok", now})
			readings = append(readings, []any{dev, at, decimal.NewFromInt(int64(base + j)), id, now, ""})
		}
		err := db.InTx(ctx, func(tx pgx.Tx) error {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"iot_event_claims"}, []string{"device_id", "event_id", "claimed_at"},
				pgx.CopyFromRows(claims)); err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"iot_events"},
				[]string{"device_id", "event_id", "kind", "ts", "outcome", "processed_at"}, pgx.CopyFromRows(events)); err != nil {
				return err
			}
			_, err := tx.CopyFrom(ctx, pgx.Identifier{"meter_readings"},
				[]string{"device_id", "read_at", "value", "event_id", "received_at", "flag"}, pgx.CopyFromRows(readings))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplicaIngest publishes b.N meter readings from many simulated meters through
// Mosquitto to one bridge instance, then b.N to two instances (a shared subscription,
// slot client ids, one database), alternating twice, and reports the events per second
// committed by each setup and their ratio (two must not be slower than one: batches of
// the two instances touch the same device rows without waiting for each other).
//
//	go test -run '^$' -bench ReplicaIngest -benchtime 3000x ./iot
func BenchmarkReplicaIngest(b *testing.B) {
	db := storetest.DB(b)
	ctx := context.Background()
	_, mall, code := newMall(b, db)
	root := storetest.RandomName("bench-")
	devs := servicetest.New(b, db).Devices
	var topics []string
	for i := range benchDevices {
		d, _, err := devs.RegisterUnchecked(ctx, devices.NewDevice{ID: fmt.Sprintf("m%03d", i), MallID: mall,
			Type: devices.Meter, MeterKind: "electricity"})
		if err != nil {
			b.Fatal(err)
		}
		topics = append(topics, iot.Topic{MallCode: code, Type: d.Type, DeviceID: d.ID, Event: "reading"}.String(root))
	}
	const slots = 4
	base := storetest.RandomName("bench-replica-")
	n := b.N
	// run ingests n readings through k instances and returns how long it took; it waits
	// on the instances' events counters (a count(*) of iot_events would cost more and
	// more as the table grows, to the disadvantage of later runs).
	run := func(k int, label string) time.Duration {
		var stops []func(context.Context) error
		reg := prometheus.NewRegistry()
		metrics := iot.NewMetrics(reg)
		for i := range k {
			stop, err := iot.Start(ctx, iot.Config{URL: storetest.MQTTURL(), ClientID: base, Root: root,
				SharedGroup: "bench", Slots: slots, BatchSize: 500, Buffer: 5000, Instance: fmt.Sprint("i", i)},
				iot.Deps{DB: db, Devices: devs, Handlers: iot.Services{}, Metrics: metrics})
			if err != nil {
				b.Fatal(err)
			}
			stops = append(stops, stop)
		}
		start := time.Now()
		for lo := 0; lo < n; lo += burst {
			publishAll(b, storetest.MQTTURL(), topics, 0, lo, min(n, lo+burst), label)
			waitEvents(b, reg, min(n, lo+burst))
		}
		took := time.Since(start)
		for _, stop := range stops {
			_ = stop(ctx)
		}
		dropSessions(storetest.MQTTURL(), base, slots)
		return took
	}
	b.ResetTimer()
	const rounds = 2
	var one, two time.Duration
	for r := range rounds { // one, two, two, one: neither always runs first
		if r%2 == 0 {
			one += run(1, fmt.Sprint("one", r))
			two += run(2, fmt.Sprint("two", r))
		} else {
			two += run(2, fmt.Sprint("two", r))
			one += run(1, fmt.Sprint("one", r))
		}
	}
	oneRate, twoRate := float64(rounds*n)/one.Seconds(), float64(rounds*n)/two.Seconds()
	b.ReportMetric(oneRate, "one-events/s")
	b.ReportMetric(twoRate, "two-events/s")
	b.ReportMetric(twoRate/oneRate, "x-two/one")
}

// waitEvents waits until the bridges of reg have committed n messages.
func waitEvents(b *testing.B, reg *prometheus.Registry, n int) {
	deadline := time.Now().Add(5 * time.Minute)
	for {
		mfs, err := reg.Gather()
		if err != nil {
			b.Fatal(err)
		}
		var c float64
		for _, mf := range mfs {
			if mf.GetName() == "atrium_iot_events_total" {
				for _, m := range mf.GetMetric() {
					c += m.GetCounter().GetValue()
				}
			}
		}
		if int(c) >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("bridges committed %v of %d", c, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
