package iot_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// env is one test's world: its own database, mall, topic root and bridge.
type env struct {
	t         *testing.T
	db        *storage.DB
	devs      *devices.Service
	mall      uuid.UUID
	mallCode  string
	group     uuid.UUID
	root      string
	embedded  bool
	handlers  iot.Handlers
	cfg       iot.Config
	run       *iot.Running
	broker    *iot.Broker
	brokerURL string
	passwords map[string]string
}

// each runs fn against Mosquitto and against the embedded broker.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, embedded := range []bool{false, true} {
		name := map[bool]string{false: "mosquitto", true: "embedded"}[embedded]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, embedded))
		})
	}
}

func newEnv(t *testing.T, embedded bool) *env {
	t.Helper()
	db := storetest.DB(t)
	e := &env{t: t, db: db, devs: servicetest.New(t, db).Devices, embedded: embedded, passwords: map[string]string{},
		root: storetest.RandomName("atrium-t")}
	e.group, e.mall, e.mallCode = newMall(t, db)
	e.handlers = iot.Services{}
	e.cfg = iot.Config{ClientID: storetest.RandomName("bridge-"), Root: e.root, Listen: "127.0.0.1:0", BatchSize: 50}
	if !embedded {
		e.cfg.URL = storetest.MQTTURL()
		e.brokerURL = storetest.MQTTURL()
	}
	return e
}

// newMall inserts a group with a mall and returns their ids and the mall's code.
func newMall(tb testing.TB, db *storage.DB) (group, mall uuid.UUID, code string) {
	tb.Helper()
	group, mall, code = uuid.New(), uuid.New(), "M"+storetest.RandomName("")[:6]
	exec(tb, db, `INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G')`, group, storetest.RandomName("g"))
	exec(tb, db, `INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, $3, 'Mall')`, mall, group, code)
	return group, mall, code
}

func exec(tb testing.TB, db *storage.DB, sql string, args ...any) {
	tb.Helper()
	if _, err := db.Pool.Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	exec(e.t, e.db, sql, args...)
}

// serve hands the events to the services (arrivals for swipes and recognitions, with
// snapshots on MinIO) of a set over the test's database, and returns the set.
func (e *env) serve(opts ...servicetest.Option) *servicetest.Set {
	e.t.Helper()
	s := servicetest.New(e.t, e.db, append(opts, servicetest.Objects(storetest.S3(e.t)))...)
	e.handlers = iot.Services{Arrivals: s.Arrivals}
	return s
}

// member inserts a member of the group with tags and an active points card for each
// uid (numbered N1, N2, …) and returns the member's id.
func (e *env) member(tags []string, uids ...string) uuid.UUID {
	e.t.Helper()
	member, cardType := uuid.New(), uuid.New()
	if tags == nil {
		tags = []string{}
	}
	e.exec(`INSERT INTO members (id, group_id, tags) VALUES ($1, $2, $3)`, member, e.group, tags)
	e.exec(`INSERT INTO card_types (id, group_id, code, name, kind) VALUES ($1, $2, 'std', 'Std', 'points')`, cardType, e.group)
	for i, uid := range uids {
		e.exec(`INSERT INTO cards (id, group_id, member_id, card_type_id, number, uid) VALUES ($1, $2, $3, $4, $5, $6)`,
			uuid.New(), e.group, member, cardType, fmt.Sprint("N", i+1), uid)
	}
	return member
}

// device registers a device and remembers its password.
func (e *env) device(n devices.NewDevice) devices.Device {
	e.t.Helper()
	n.MallID = e.mall
	if n.Type == devices.Meter && n.MeterKind == "" {
		n.MeterKind = "electricity"
	}
	d, pw, err := e.devs.RegisterUnchecked(context.Background(), n)
	if err != nil {
		e.t.Fatal(err)
	}
	e.passwords[d.ID] = pw
	return d
}

// newMeter is a meter device to register.
func newMeter(id string) devices.NewDevice { return devices.NewDevice{ID: id, Type: devices.Meter} }

// live registers device n, starts the bridge and connects as the device.
func (e *env) live(n devices.NewDevice) (devices.Device, mqtt.Client) {
	e.t.Helper()
	d := e.device(n)
	e.start()
	return d, e.publisher(n.ID)
}

// start starts the bridge (and embedded broker); stopped at the end of the test.
func (e *env) start() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e.embedded && e.broker == nil {
		// The embedded broker outlives bridge restarts here, as it does in a deployment
		// where it runs beside several bridge instances.
		pass := storetest.RandomName("pw")
		b, err := iot.StartBroker(iot.BrokerConfig{Addr: "127.0.0.1:0", Root: e.root, BridgeUser: "bridge",
			BridgePassword: pass}, e.devs, nil)
		if err != nil {
			e.t.Fatal(err)
		}
		e.t.Cleanup(func() { _ = b.Close() })
		e.broker, e.brokerURL = b, "tcp://"+b.Addr()
		e.cfg.URL, e.cfg.Username, e.cfg.Password = e.brokerURL, "bridge", pass
	}
	r, err := iot.StartRunning(ctx, e.cfg, iot.Deps{DB: e.db, Devices: e.devs, Handlers: e.handlers, Log: e.bridgeLog()})
	if err != nil {
		e.t.Fatal(err)
	}
	e.run = r
	clientID := e.cfg.ClientID
	e.t.Cleanup(func() {
		_ = r.Stop(context.Background())
		if !e.embedded { // drop the persistent session Mosquitto keeps for this test's bridge
			c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(e.brokerURL).SetClientID(clientID).SetCleanSession(true))
			if tok := c.Connect(); tok.WaitTimeout(5*time.Second) && tok.Error() == nil {
				c.Disconnect(0)
			}
		}
	})
}

// bridgeLog keeps the bridge's warnings and errors, and prints them when the test fails
// (its cleanup runs after the bridge has stopped, so nothing logs after it).
func (e *env) bridgeLog() *slog.Logger {
	var buf lockedBuffer
	t := e.t
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("bridge log:\n%s", buf.String())
		}
	})
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// lockedBuffer is a buffer the bridge's goroutines write to.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// stop stops the bridge (not the broker).
func (e *env) stop() {
	e.t.Helper()
	if err := e.run.Stop(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// publisher connects as device id (its registry credential on the embedded broker).
func (e *env) publisher(id string) mqtt.Client {
	e.t.Helper()
	opts := mqtt.NewClientOptions().AddBroker(e.brokerURL).SetClientID(storetest.RandomName(id + "-")).
		SetUsername(id).SetPassword(e.passwords[id]).SetAutoReconnect(false)
	c := mqtt.NewClient(opts)
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		e.t.Fatalf("connect %s: %v", id, tok.Error())
	}
	e.t.Cleanup(func() { c.Disconnect(0) })
	return c
}

// publish publishes QoS 1 and waits for the broker's acknowledgement.
func (e *env) publish(c mqtt.Client, topic string, payload string) {
	e.t.Helper()
	tok := c.Publish(topic, 1, false, payload)
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		e.t.Fatalf("publish %s: %v", topic, tok.Error())
	}
}

func (e *env) topic(d devices.Device, event string) string {
	return iot.Topic{MallCode: e.mallCode, Type: d.Type, DeviceID: d.ID, Event: event}.String(e.root)
}

// count runs a count query.
func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// waitCount waits (bounded) until the query counts want.
func (e *env) waitCount(want int, sql string, args ...any) {
	e.t.Helper()
	deadline := time.Now().Add(45 * time.Second) // a deadline, not a timing: the full -race suite loads both cores
	for {
		n := e.count(sql, args...)
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: %d, want %d", sql, n, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var ts0 = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

func reading(id string, minute int, value string) string {
	return fmt.Sprintf(`{"id":%q,"ts":%q,"value":%q}`, id, ts0.Add(time.Duration(minute)*time.Minute).Format(time.RFC3339), value)
}
