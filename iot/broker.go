package iot

import (
	"bytes"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/atrium-mall/atrium/service/devices"
)

// BrokerConfig configures the embedded broker.
type BrokerConfig struct {
	Addr           string // devices' listen address, e.g. ":1883" or "127.0.0.1:0"
	Root           string // topic root, default "atrium"
	BridgeUser     string // Atrium's own internal credential: may read and write everything
	BridgePassword string
	// BridgeAddr, when set, is a second listener (loopback) for the bridge alone: the
	// bridge credential is accepted only there and devices only on Addr, so shutdown
	// can close the devices' listener while the bridge still drains.
	BridgeAddr string
	// MaxPacket is the largest MQTT packet accepted (default DefaultMaxPacket): a
	// larger one ends the connection once its header is read, before its body is read
	// or buffered, and is never acknowledged.
	MaxPacket uint32
	// Direct makes device publishes wait for Deliver (see Broker.Deliver): the
	// broker acknowledges a device's QoS 1 publish only after it is committed.
	Direct bool
}

// DefaultMaxPacket is far above any device event (a few hundred bytes of JSON, a
// face camera's snapshot being sent by URL or as a small thumbnail).
const DefaultMaxPacket = 256 << 10

// DeliverFunc hands one device message to the bridge and returns once it is committed
// (an error: it was not, and must not be acknowledged).
type DeliverFunc func(ctx context.Context, topic string, payload []byte) error

// Broker is the embedded MQTT broker used when no external broker is configured.
type Broker struct {
	server  *mochi.Server
	devices *listener
	bridge  *listener // nil without BridgeAddr
	hook    *authHook
	cancel  context.CancelFunc
	close   sync.Once
	err     error
}

// Addr is the devices' address (with the real port when Addr had :0).
func (b *Broker) Addr() string { return b.devices.Address() }

// BridgeAddr is the bridge's own listener address (Addr without BridgeAddr).
func (b *Broker) BridgeAddr() string {
	if b.bridge == nil {
		return b.Addr()
	}
	return b.bridge.Address()
}

// StartBroker starts the embedded broker: devices authenticate with their registry
// credentials (username = device id) and may publish only under their own topic
// {root}/{mall}/{type}/{id}/#; the bridge user may do anything.
func StartBroker(cfg BrokerConfig, reg *devices.Service, log *slog.Logger) (*Broker, error) {
	if cfg.Root == "" {
		cfg.Root = DefaultRoot
	}
	if cfg.MaxPacket == 0 {
		cfg.MaxPacket = DefaultMaxPacket
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	caps := mochi.NewDefaultServerCapabilities()
	caps.MaximumPacketSize = cfg.MaxPacket
	s := mochi.New(&mochi.Options{Logger: log, InlineClient: false, Capabilities: caps})
	ctx, cancel := context.WithCancel(context.Background())
	h := &authHook{cfg: cfg, reg: reg, clients: map[string]string{}, ctx: ctx}
	b := &Broker{server: s, hook: h, cancel: cancel}
	if err := s.AddHook(h, nil); err != nil {
		cancel()
		return nil, err
	}
	var err error
	if b.devices, err = newListener(deviceListener, cfg.Addr); err != nil {
		cancel()
		return nil, err
	}
	if cfg.BridgeAddr != "" {
		if b.bridge, err = newListener(bridgeListener, cfg.BridgeAddr); err != nil {
			cancel()
			return nil, errors.Join(err, b.devices.ln.Close())
		}
	}
	for _, l := range []*listener{b.devices, b.bridge} {
		if l == nil {
			continue
		}
		if err := s.AddListener(l); err != nil {
			return nil, errors.Join(err, b.Close())
		}
	}
	if err := s.Serve(); err != nil {
		return nil, errors.Join(err, b.Close())
	}
	return b, nil
}

const (
	deviceListener = "atrium-devices"
	bridgeListener = "atrium-bridge"
)

// Deliver sets where device publishes go in Direct mode; until it is set they are
// refused (not acknowledged; the device retries).
func (b *Broker) Deliver(fn DeliverFunc) { b.hook.deliver.Store(&fn) }

// StopDevices stops accepting device connections and publishes: it closes the
// devices' listener, refuses (unacknowledged) any new publish, waits (bounded by ctx)
// until every publish already handed to Deliver has returned — so those committed are
// acknowledged — and then closes the devices' connections. The bridge's listener stays
// open.
func (b *Broker) StopDevices(ctx context.Context) error {
	b.hook.stopDevices()
	b.devices.stopAccepting()
	err := b.hook.wait(ctx)
	b.devices.stop() // mochi's Close finishes with them
	return err
}

// Close stops the broker: device publishes waiting for Deliver are refused, every
// connection is closed, and it returns once mochi is done with all of them.
func (b *Broker) Close() error {
	b.close.Do(func() {
		b.hook.stopDevices()
		b.cancel()
		b.err = b.server.Close()
	})
	return b.err
}

// authHook authenticates against the device registry and enforces topic ownership;
// in Direct mode it also hands device publishes to Deliver and lets mochi acknowledge
// them only after Deliver returned.
type authHook struct {
	mochi.HookBase
	cfg     BrokerConfig
	reg     *devices.Service
	ctx     context.Context // ended by Broker.Close
	deliver atomic.Pointer[DeliverFunc]
	mu      sync.Mutex
	clients map[string]string // client id → topic prefix it may publish under ("" = bridge); kept for persistent sessions
	stopped bool              // StopDevices: no more device publishes
	pending int               // device publishes inside Deliver
	idle    chan struct{}     // closed when stopped and pending reaches 0
}

// ID names the hook.
func (h *authHook) ID() string { return "atrium-auth" }

// Provides lists the hook's events.
func (h *authHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mochi.OnConnectAuthenticate, mochi.OnACLCheck, mochi.OnDisconnect, mochi.OnClientExpired,
		mochi.OnPublish}, []byte{b})
}

// OnConnectAuthenticate checks the bridge credential or a device's (each on its own
// listener when the bridge has one).
func (h *authHook) OnConnectAuthenticate(cl *mochi.Client, pk packets.Packet) bool {
	user, pass := string(pk.Connect.Username), string(pk.Connect.Password)
	onBridgeListener := cl.Net.Listener == bridgeListener
	if h.cfg.BridgeUser != "" && user == h.cfg.BridgeUser {
		if h.cfg.BridgeAddr != "" && !onBridgeListener {
			return false
		}
		ok := subtle.ConstantTimeCompare([]byte(pass), []byte(h.cfg.BridgePassword)) == 1
		if ok {
			h.set(cl, "")
		}
		return ok
	}
	if onBridgeListener {
		return false // devices connect on their own listener only
	}
	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	defer cancel()
	if cl.ID != user && !strings.HasPrefix(cl.ID, user+"-") {
		return false // a device's client id is its id (or id-suffix): it cannot take over another session
	}
	h.mu.Lock()
	prefix, known := h.clients[cl.ID]
	h.mu.Unlock()
	if known && prefix == "" {
		return false // nor the bridge's
	}
	d, err := h.reg.Authenticate(ctx, user, pass)
	if err != nil {
		return false
	}
	h.set(cl, Topic{MallCode: d.MallCode, Type: d.Type, DeviceID: d.ID, Event: ""}.String(h.cfg.Root))
	return true
}

func (h *authHook) set(cl *mochi.Client, prefix string) {
	h.mu.Lock()
	h.clients[cl.ID] = prefix
	h.mu.Unlock()
}

// OnACLCheck lets the bridge do anything and a device publish under its own prefix
// only (and subscribe to nothing).
func (h *authHook) OnACLCheck(cl *mochi.Client, topic string, write bool) bool {
	h.mu.Lock()
	prefix, ok := h.clients[cl.ID]
	h.mu.Unlock()
	switch {
	case !ok:
		return false
	case prefix == "":
		return true
	}
	return write && strings.HasPrefix(topic, prefix) && !strings.ContainsAny(topic[len(prefix):], "+#")
}

// deliverTimeout bounds how long a device publish waits for its commit (the database
// being down, say); it is then not acknowledged and the device publishes it again
// later, while the bridge may still commit it (the event id makes that harmless).
const deliverTimeout = 30 * time.Second

// errRefused ends a device's connection whose publish was not committed: it gets no
// acknowledgement and publishes again on its next connection.
var errRefused = errors.New("iot: publish not committed (shutting down or database unavailable); not acknowledged")

// OnPublish, in Direct mode, hands a device's publish (already allowed by OnACLCheck)
// to Deliver and returns once it is committed; mochi then acknowledges it (QoS 1) and
// does not forward it (the bridge has it already). When it is not committed the
// packet is rejected (no acknowledgement) and the connection ended.
func (h *authHook) OnPublish(cl *mochi.Client, pk packets.Packet) (packets.Packet, error) {
	if !h.cfg.Direct || cl.Net.Inline {
		return pk, nil
	}
	h.mu.Lock()
	prefix, ok := h.clients[cl.ID]
	if ok && prefix == "" { // the bridge itself
		h.mu.Unlock()
		return pk, nil
	}
	if h.stopped {
		h.mu.Unlock()
		cl.Stop(packets.ErrServerShuttingDown)
		return pk, packets.ErrRejectPacket
	}
	h.pending++
	h.mu.Unlock()
	defer h.done()
	fn := h.deliver.Load()
	if fn == nil {
		cl.Stop(errRefused)
		return pk, packets.ErrRejectPacket
	}
	ctx, cancel := context.WithTimeout(h.ctx, deliverTimeout)
	defer cancel()
	if err := (*fn)(ctx, pk.TopicName, pk.Payload); err != nil {
		cl.Stop(errors.Join(errRefused, err))
		return pk, packets.ErrRejectPacket
	}
	return pk, packets.CodeSuccessIgnore
}

func (h *authHook) done() {
	h.mu.Lock()
	h.pending--
	if h.stopped && h.pending == 0 && h.idle != nil {
		close(h.idle)
		h.idle = nil
	}
	h.mu.Unlock()
}

// stopDevices refuses device publishes from now on.
func (h *authHook) stopDevices() {
	h.mu.Lock()
	h.stopped = true
	h.mu.Unlock()
}

// wait waits until no device publish is inside Deliver.
func (h *authHook) wait(ctx context.Context) error {
	h.mu.Lock()
	if h.pending == 0 {
		h.mu.Unlock()
		return nil
	}
	if h.idle == nil {
		h.idle = make(chan struct{})
	}
	idle := h.idle
	h.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("iot broker: device publishes still being committed: %w", ctx.Err())
	}
}

// OnDisconnect forgets a client without a persistent session (a persistent one still
// receives messages while away, which are checked against its entry).
func (h *authHook) OnDisconnect(cl *mochi.Client, _ error, expire bool) {
	if expire {
		h.forget(cl)
	}
}

// OnClientExpired forgets an expired session.
func (h *authHook) OnClientExpired(cl *mochi.Client) { h.forget(cl) }

func (h *authHook) forget(cl *mochi.Client) {
	h.mu.Lock()
	delete(h.clients, cl.ID)
	h.mu.Unlock()
}
