package iot_test

import (
	"context"
	"fmt"
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

// burst is how many readings are published before waiting for them to be consumed:
// below Mosquitto's default max_queued_messages (1000), beyond which it drops QoS 1
// messages for a subscriber that falls behind.
const burst = 900

// BenchmarkMeterIngest publishes b.N meter readings from many simulated meters through
// Mosquitto and reports the events per second committed to PostgreSQL by the bridge,
// against two baselines measured in the same run: the broker alone delivering to a
// subscriber that does nothing, and CopyFrom alone inserting the same rows.
//
//	go test -run '^$' -bench MeterIngest -benchtime 5000x ./iot
func BenchmarkMeterIngest(b *testing.B) {
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
	n := b.N
	b.ResetTimer()

	brokerRate := rate(n, func() { brokerOnly(b, root, topics, n) })
	copyRate := rate(n, func() { copyOnly(b, db, n) })
	bridgeRate := rate(n, func() {
		stop, err := iot.Start(ctx, iot.Config{URL: storetest.MQTTURL(), ClientID: storetest.RandomName("bench-bridge-"),
			Root: root, BatchSize: 500, Buffer: 5000}, iot.Deps{DB: db, Devices: devs, Handlers: iot.Services{}})
		if err != nil {
			b.Fatal(err)
		}
		defer stop(ctx) //nolint:errcheck
		for lo := 0; lo < n; lo += burst {
			publishAll(b, topics, lo, min(n, lo+burst), "bridge")
			waitRows(b, db, min(n, lo+burst))
		}
	})
	b.ReportMetric(bridgeRate, "events/s")
	b.ReportMetric(brokerRate, "broker-events/s")
	b.ReportMetric(copyRate, "copy-events/s")
	b.ReportMetric(bridgeRate/brokerRate, "x-broker")
	b.ReportMetric(bridgeRate/copyRate, "x-copy")
}

func rate(n int, fn func()) float64 {
	start := time.Now()
	fn()
	return float64(n) / time.Since(start).Seconds()
}

// publishAll publishes n readings spread over the meters' topics, QoS 1, one
// publisher per meter, concurrently.
func publishAll(b *testing.B, topics []string, lo, hi int, run string) {
	var wg sync.WaitGroup
	for i, topic := range topics {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(storetest.MQTTURL()).SetClientID(storetest.RandomName("pub-")))
			if tok := c.Connect(); tok.Wait() && tok.Error() != nil {
				b.Error(tok.Error())
				return
			}
			defer c.Disconnect(0)
			// Each meter waits for its PUBACK before the next reading, as a device does;
			// this also keeps the broker's per-subscriber queue (Mosquitto's
			// max_queued_messages, 1000 by default) from overflowing.
			for j := lo + i; j < hi; j += len(topics) {
				p := fmt.Sprintf(`{"id":"%s-%d","ts":%q,"value":"%d"}`, run, j, ts0.Add(time.Duration(j)*time.Second).Format(time.RFC3339), j)
				c.Publish(topic, 1, false, p).Wait()
			}
		}()
	}
	wg.Wait()
}

// brokerOnly: a subscriber that does nothing receives n messages.
func brokerOnly(b *testing.B, root string, topics []string, n int) {
	var got atomic.Int64
	done := make(chan struct{})
	sub := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(storetest.MQTTURL()).SetClientID(storetest.RandomName("nop-")))
	if tok := sub.Connect(); tok.Wait() && tok.Error() != nil {
		b.Fatal(tok.Error())
	}
	defer sub.Disconnect(0)
	sub.Subscribe(root+"/#", 1, func(mqtt.Client, mqtt.Message) {
		if got.Add(1) == int64(n) {
			close(done)
		}
	}).Wait()
	for lo := 0; lo < n; lo += burst {
		publishAll(b, topics, lo, min(n, lo+burst), "nop")
		for deadline := time.Now().Add(time.Minute); got.Load() < int64(min(n, lo+burst)); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				b.Fatalf("subscriber got %d of %d", got.Load(), n)
			}
		}
	}
	<-done
}

// copyOnly inserts n reading rows with CopyFrom, in batches of 500 like the bridge.
func copyOnly(b *testing.B, db *storage.DB, n int) {
	ctx := context.Background()
	for start := 0; start < n; start += 500 {
		var rows [][]any
		for j := start; j < min(n, start+500); j++ {
			rows = append(rows, []any{fmt.Sprintf("m%03d", j%benchDevices), ts0.Add(time.Duration(j) * time.Second),
				decimal.NewFromInt(int64(j)), fmt.Sprintf("copy-%d", j), time.Now(), ""})
		}
		_, err := db.Pool.CopyFrom(ctx, pgx.Identifier{"meter_readings"},
			[]string{"device_id", "read_at", "value", "event_id", "received_at", "flag"}, pgx.CopyFromRows(rows))
		if err != nil {
			b.Fatal(err)
		}
	}
}

// waitRows waits until the bridge has committed n events.
func waitRows(b *testing.B, db *storage.DB, n int) {
	deadline := time.Now().Add(5 * time.Minute)
	for {
		var c int
		_ = db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM iot_events`).Scan(&c)
		if c >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("bridge committed %d of %d", c, n)
		}
		time.Sleep(10 * time.Millisecond)
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
			publishAll(b, topics, lo, min(n, lo+burst), label)
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
