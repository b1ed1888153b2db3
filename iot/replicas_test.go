package iot_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// errorLog counts the ERROR records the bridges log (a failed batch, a deadlock
// retried, a failed drain) and keeps their messages.
type errorLog struct {
	mu   sync.Mutex
	msgs []string
}

func (l *errorLog) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelError }
func (l *errorLog) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	l.mu.Lock()
	l.msgs = append(l.msgs, b.String())
	l.mu.Unlock()
	return nil
}
func (l *errorLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *errorLog) WithGroup(string) slog.Handler      { return l }
func (l *errorLog) errors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.msgs...)
}

// replica is one app instance's bridge: its own metrics registry, same database.
type replica struct {
	run  *iot.Running
	kill func()
	reg  *prometheus.Registry
}

// replicaConfig is the configuration of the test's replicas: Mosquitto, one shared
// group, slot client ids under the test's base, fast reaping.
func (e *env) replicaConfig() iot.Config {
	cfg := e.cfg
	cfg.SharedGroup, cfg.Slots = "atrium", 8
	cfg.ReapEvery, cfg.DrainQuiet = 200*time.Millisecond, time.Second
	return cfg
}

// replica starts a replica; its sessions at the broker are dropped at the end.
func (e *env) replica(instance string, log *slog.Logger) *replica {
	e.t.Helper()
	cfg := e.replicaConfig()
	cfg.Instance = instance
	reg := prometheus.NewRegistry()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, kill, err := iot.StartKillable(ctx, cfg, iot.Deps{DB: e.db, Devices: e.devs, Handlers: e.handlers, Log: log,
		Metrics: iot.NewMetrics(reg)})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		_ = r.Stop(context.Background())
		dropSessions(e.brokerURL, cfg.ClientID, cfg.Slots)
	})
	return &replica{run: r, kill: kill, reg: reg}
}

// dropSessions drops the persistent sessions of base's slots at the broker.
func dropSessions(url, base string, slots int) {
	for k := range slots {
		c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprintf("%s-%d", base, k)).
			SetCleanSession(true).SetAutoReconnect(false))
		if tok := c.Connect(); tok.WaitTimeout(5*time.Second) && tok.Error() == nil {
			c.Disconnect(0)
		}
	}
}

// fleet registers n meters and returns them.
func (e *env) fleet(n int) []devices.Device {
	var ms []devices.Device
	for i := range n {
		ms = append(ms, e.device(newMeter(fmt.Sprintf("m%03d", i))))
	}
	return ms
}

// publishFleet publishes per readings from each meter, all meters at once, each meter
// waiting for its PUBACK before the next (as a device does); every tenth message of a
// meter is an "online" status, which the batch applies under the device's row lock.
// from numbers the readings, so several calls publish distinct events. It returns the
// readings published.
func (e *env) publishFleet(ms []devices.Device, from, per int) int {
	e.t.Helper()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for _, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(e.brokerURL).SetClientID(storetest.RandomName(m.ID + "-")))
			if tok := c.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
				failed.Add(1)
				return
			}
			defer c.Disconnect(0)
			for i := from; i < from+per; i++ {
				if i%10 == 5 {
					if tok := c.Publish(e.topic(m, "status"), 1, false, "online"); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
						failed.Add(1)
					}
				}
				tok := c.Publish(e.topic(m, "reading"), 1, false, reading(fmt.Sprint("r", i), i, fmt.Sprint(i)))
				if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		e.t.Fatalf("%d publishes failed", n)
	}
	return len(ms) * per
}

// ingest publishes per readings from each meter as publishFleet does, in rounds of at
// most 800 messages, each waited for until committed: Mosquitto drops QoS 1 messages
// for a subscriber with more than max_queued_messages (1000 by default) queued, and
// the test broker keeps that default. It returns the readings published.
func (e *env) ingest(ms []devices.Device, from, per int) int {
	e.t.Helper()
	round := max(1, 800*10/11/len(ms))
	base := e.count(`SELECT count(*) FROM iot_events`)
	n := 0
	for lo := from; lo < from+per; lo += round {
		n += e.publishFleet(ms, lo, min(round, from+per-lo))
		e.waitFor(60*time.Second, base+n, `SELECT count(*) FROM iot_events`)
	}
	return n
}

// waitFor waits (up to limit) until the query counts want.
func (e *env) waitFor(limit time.Duration, want int, sql string, args ...any) {
	e.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		n := e.count(sql, args...)
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: %d, want %d", sql, n, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (e *env) deadlocks() int {
	e.t.Helper()
	e.exec(`SELECT pg_stat_force_next_flush()`)
	var n int
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT pg_stat_clear_snapshot(), deadlocks FROM pg_stat_database
		WHERE datname = current_database()`).Scan(nil, &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// exactlyOnce checks that every one of n readings is stored once and its event once.
func (e *env) exactlyOnce(n int) {
	e.t.Helper()
	if got := e.count(`SELECT count(*) FROM meter_readings`); got != n {
		e.t.Fatalf("%d readings stored, want %d", got, n)
	}
	if got := e.count(`SELECT count(*) FROM (SELECT DISTINCT device_id, event_id FROM meter_readings) r`); got != n {
		e.t.Fatalf("%d distinct readings, want %d", got, n)
	}
	if got := e.count(`SELECT count(*) FROM iot_events`); got != n {
		e.t.Fatalf("%d events, want %d", got, n)
	}
	if got := e.count(`SELECT count(*) FROM dead_letters`); got != 0 {
		e.t.Fatalf("%d dead letters", got)
	}
}

// TestReplicasNoDeadlock: two bridges (two instances, one database) behind Mosquitto
// with a shared subscription ingest readings and statuses from many meters publishing
// at once. Both take part, no transaction deadlocks (PostgreSQL's own count, and no
// batch failed in either bridge's log), and every reading is processed exactly once.
func TestReplicasNoDeadlock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	ms := e.fleet(40)
	logs := &errorLog{}
	before := e.deadlocks()
	a := e.replica("a", slog.New(logs))
	b := e.replica("b", slog.New(logs))
	if a.run.ClientID() == b.run.ClientID() {
		t.Fatalf("both replicas use %s", a.run.ClientID())
	}
	n := e.ingest(ms, 0, 60)
	e.exactlyOnce(n)
	if d := e.deadlocks() - before; d != 0 {
		t.Fatalf("%d deadlocks", d)
	}
	if errs := logs.errors(); len(errs) > 0 {
		t.Fatalf("bridge errors: %q", errs)
	}
	if e.count(`SELECT count(*) FROM devices WHERE online AND last_seen_at IS NOT NULL`) != len(ms) {
		t.Fatal("not every device marked seen")
	}
	// Per-instance metrics: both took events, together all of them (statuses included).
	ea, eb := eventsOf(t, a), eventsOf(t, b)
	if ea == 0 || eb == 0 || int(ea+eb) != n+n/10 {
		t.Fatalf("events by instance: a %v, b %v; want both > 0 and %d in all", ea, eb, n+n/10)
	}
	for _, r := range []*replica{a, b} {
		if c := sumOf(t, r, "atrium_iot_lag_seconds"); c == 0 {
			t.Fatal("no lag observed")
		}
	}
}

// eventsOf is a replica's atrium_iot_events_total.
func eventsOf(t *testing.T, r *replica) float64 { return sumOf(t, r, "atrium_iot_events_total") }

// sumOf sums a counter family of a replica's registry (for a histogram, its counts).
func sumOf(t *testing.T, r *replica, name string) float64 {
	t.Helper()
	mfs, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			sum += m.GetCounter().GetValue() + float64(m.GetHistogram().GetSampleCount())
		}
	}
	return sum
}

// TestReplicaDiesForGood: one of two replicas dies (its connections cut, no
// DISCONNECT, nothing acknowledged or handed over) while the meters keep publishing,
// and never comes back. Every reading is still processed, exactly once, by the
// survivor, which drains and drops the dead replica's session.
func TestReplicaDiesForGood(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	ms := e.fleet(20)
	logs := &errorLog{}
	a := e.replica("a", slog.New(logs))
	b := e.replica("b", slog.New(logs))
	dead := b.run.ClientID()
	n := e.ingest(ms, 0, 20)
	done := make(chan int)
	go func() { done <- e.publishFleet(ms, 20, 30) }() // 600 readings (under Mosquitto's queue limit)
	time.Sleep(200 * time.Millisecond)                 // mid-stream
	b.kill()
	n += <-done
	e.waitFor(60*time.Second, n, `SELECT count(*) FROM iot_events`)
	n += e.ingest(ms, 50, 20) // and after its death
	e.exactlyOnce(n)
	e.waitFor(30*time.Second, 0, `SELECT count(*) FROM mqtt_bridge_sessions WHERE client_id = $1 AND NOT drained`, dead)
	if got := sumOf(t, a, "atrium_iot_session_drains_total"); got < 1 {
		t.Fatalf("survivor drained %v sessions", got)
	}
	stranded := seriesOf(t, a, "atrium_iot_events_total", dead)
	if stranded == 0 {
		t.Fatal("the survivor processed nothing of the dead replica's session")
	}
	t.Logf("the survivor processed %v messages left in the dead replica's session", stranded)
	if errs := logs.errors(); len(errs) > 0 {
		t.Fatalf("bridge errors: %q", errs)
	}
	// The dropped session queues nothing more: later readings all reach the survivor.
	e.exactlyOnce(n + e.ingest(ms, 70, 10))
}

// seriesOf is the value of a replica's counter family for one client id.
func seriesOf(t *testing.T, r *replica, name, clientID string) float64 {
	t.Helper()
	mfs, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "client_id" && l.GetValue() == clientID {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// TestReplicaLosesItsLock: a replica's lock connection is killed by PostgreSQL while its
// MQTT connection lives, so its slot is free for another replica to drain. It stops its
// bridge, takes a slot anew and goes on; every reading is processed exactly once and no
// bridge logs anything but the lost lock.
func TestReplicaLosesItsLock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	ms := e.fleet(20)
	logs := &errorLog{}
	a := e.replica("a", slog.New(logs))
	e.replica("b", slog.New(logs))
	n := e.ingest(ms, 0, 10)
	// The pre-slot client id's one drain is over (so the lock killed is the slot's alone).
	e.waitFor(30*time.Second, 1, `SELECT count(*) FROM mqtt_bridge_sessions WHERE client_id = $1 AND drained`,
		e.cfg.ClientID)
	held := a.run.ClientID()
	e.exec(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('atrium-mqtt-session:' || $1::text, 0)`, held)
	n += e.ingest(ms, 10, 20)
	e.waitFor(30*time.Second, 2, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	n += e.ingest(ms, 30, 10)
	e.exactlyOnce(n)
	// Only the lost lock and what it breaks: an unlock on that connection, and a subscribe
	// cut short while the survivor's drain and this replica briefly take the client id
	// from each other (until this replica notices, within ReapEvery).
	for _, msg := range logs.errors() {
		if !strings.Contains(msg, "lock connection lost") && !strings.Contains(msg, "57P01") &&
			!strings.Contains(msg, "session locks closed") && !strings.Contains(msg, "conn closed") &&
			!strings.Contains(msg, "not currently connected") {
			t.Fatalf("bridge error: %s", msg)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); len(logs.errors()) == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the lost lock went unnoticed")
		}
	}
}

// TestUpgradeDrainsThePreSlotSession: before slots, a bridge subscribed under the plain
// client id with a persistent session; readings published while it is gone wait in that
// session. A replica with slots drains it once and forgets it.
func TestUpgradeDrainsThePreSlotSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, false)
	ms := e.fleet(5)
	cfg := e.replicaConfig()
	old := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(e.brokerURL).SetClientID(cfg.ClientID).SetCleanSession(false))
	if tok := old.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	if tok := old.Subscribe(iot.BridgeConfig{Root: e.root, SharedGroup: cfg.SharedGroup}.Filter(), 1, nil); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	old.Disconnect(0)
	n := e.publishFleet(ms, 0, 20) // queued for the old session, the only member of the group
	logs := &errorLog{}
	a := e.replica("a", slog.New(logs))
	e.waitFor(30*time.Second, n, `SELECT count(*) FROM iot_events`)
	e.waitFor(30*time.Second, 1, `SELECT count(*) FROM mqtt_bridge_sessions WHERE client_id = $1 AND drained`, cfg.ClientID)
	n += e.ingest(ms, 20, 10) // the old session no longer takes a share
	e.exactlyOnce(n)
	if seriesOf(t, a, "atrium_iot_events_total", cfg.ClientID) == 0 {
		t.Fatal("the pre-slot session's readings were not drained")
	}
	if errs := logs.errors(); len(errs) > 0 {
		t.Fatalf("bridge errors: %q", errs)
	}
}
