package iot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage"
)

// Config is the bridge's configuration (from ATRIUM_MQTT_* in cmd/atrium).
type Config struct {
	URL         string // external broker (ATRIUM_MQTT_URL); empty → embedded broker
	Listen      string // embedded broker address (ATRIUM_MQTT_LISTEN)
	MaxPacket   uint32 // embedded broker's largest MQTT packet (ATRIUM_MQTT_MAX_PACKET; default DefaultMaxPacket)
	Username    string // credential at the external broker
	Password    string
	ClientID    string // stable per instance; default "atrium-bridge"
	Root        string // topic root; default "atrium"
	SharedGroup string // optional $share group
	Buffer      int
	BatchSize   int
	Instance    string // this replica in the metrics (default: the host name)

	// Slots > 0 (replicas behind one external broker, see replicas.go): the bridge's
	// client id is <ClientID>-<k> for a free slot k < Slots, and the replica drains the
	// sessions of replicas that are gone, checking every ReapEvery (default 5 s); a
	// drain ends after DrainQuiet (default 2 s) without a message.
	Slots      int
	ReapEvery  time.Duration
	DrainQuiet time.Duration

	dial mqtt.OpenConnectionFunc // tests: how MQTT connections are opened
}

// Deps are what the bridge needs.
type Deps struct {
	DB       *storage.DB
	Devices  *devices.Service
	Handlers Handlers
	Log      *slog.Logger
	Metrics  *Metrics // nil: no metrics
}

// Running is a started bridge (and embedded broker, if any).
type Running struct {
	Bridge *Bridge
	Broker *Broker // nil with an external broker

	sessions *sessions // Slots > 0
}

// Start starts the embedded broker when cfg.URL is empty, then the bridge, and
// returns a stop function that stops both (bridge first).
func Start(ctx context.Context, cfg Config, d Deps) (stop func(context.Context) error, err error) {
	r, err := StartRunning(ctx, cfg, d)
	if err != nil {
		return nil, err
	}
	return r.Stop, nil
}

// StartRunning is Start returning the parts (tests use the broker's address).
func StartRunning(ctx context.Context, cfg Config, d Deps) (*Running, error) {
	if cfg.ClientID == "" {
		cfg.ClientID = "atrium-bridge"
	}
	r := &Running{}
	bc := BridgeConfig{URL: cfg.URL, ClientID: cfg.ClientID, Username: cfg.Username, Password: cfg.Password,
		Root: cfg.Root, SharedGroup: cfg.SharedGroup, Buffer: cfg.Buffer, BatchSize: cfg.BatchSize}
	if cfg.URL == "" {
		b, url, user, pass, err := embedded(cfg, d)
		if err != nil {
			return nil, err
		}
		r.Broker, bc.URL, bc.Username, bc.Password = b, url, user, pass
	}
	if err := r.replicas(ctx, cfg, d, &bc); err != nil {
		return nil, errors.Join(err, r.Stop(context.WithoutCancel(ctx)))
	}
	r.Bridge = NewBridge(bc, &Processor{DB: d.DB, Handlers: d.Handlers, Log: d.Log}, d.Log)
	if r.Broker != nil {
		r.Broker.Deliver(r.Bridge.deliver) // device publishes are acknowledged once committed
	}
	if err := r.Bridge.Start(ctx); err != nil {
		return nil, errors.Join(err, r.Stop(context.WithoutCancel(ctx)))
	}
	if r.sessions != nil {
		r.sessions.start() // the reaper of dead replicas' sessions
	}
	return r, nil
}

// embedded starts the embedded broker (Direct mode, devices on cfg.Listen, the bridge
// on a loopback listener of its own) with a fresh internal bridge credential.
func embedded(cfg Config, d Deps) (*Broker, string, string, string, error) {
	secret := make([]byte, 24)
	_, _ = rand.Read(secret)
	user, pass := "atrium-bridge-internal", hex.EncodeToString(secret)
	b, err := StartBroker(BrokerConfig{Addr: cfg.Listen, BridgeAddr: "127.0.0.1:0", Root: cfg.Root, BridgeUser: user,
		BridgePassword: pass, MaxPacket: cfg.MaxPacket, Direct: true}, d.Devices, d.Log)
	if err != nil {
		return nil, "", "", "", err
	}
	return b, "tcp://" + b.BridgeAddr(), user, pass, nil
}

// Stop stops in the order that loses nothing acknowledged: the embedded broker stops
// taking device connections and publishes and waits (bounded by ctx) until those it
// holds are committed; then the bridge stops; then the broker. Stopping twice is
// harmless.
func (r *Running) Stop(ctx context.Context) error {
	var errs []error
	if r.sessions != nil {
		r.sessions.stopReaper()
	}
	if r.Broker != nil {
		errs = append(errs, r.Broker.StopDevices(ctx))
	}
	if r.Bridge != nil {
		errs = append(errs, r.Bridge.Stop(ctx))
	}
	if r.sessions != nil { // after the bridge: the slot is free once its client is gone
		errs = append(errs, r.sessions.close(ctx))
	}
	if r.Broker != nil {
		errs = append(errs, r.Broker.Close())
	}
	return errors.Join(errs...)
}
