package iot

import (
	"bytes"
	"context"
	"crypto/subtle"
	"log/slog"
	"strings"
	"sync"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/atrium-mall/atrium/service/devices"
)

// BrokerConfig configures the embedded broker.
type BrokerConfig struct {
	Addr           string // listen address, e.g. ":1883" or "127.0.0.1:0"
	Root           string // topic root, default "atrium"
	BridgeUser     string // Atrium's own internal credential: may read and write everything
	BridgePassword string
}

// Broker is the embedded MQTT broker used when no external broker is configured.
type Broker struct {
	server *mochi.Server
	tcp    *listeners.TCP
}

// Addr is the address the broker listens on (with the real port when Addr had :0).
func (b *Broker) Addr() string { return b.tcp.Address() }

// StartBroker starts the embedded broker: devices authenticate with their registry
// credentials (username = device id) and may publish only under their own topic
// {root}/{mall}/{type}/{id}/#; the bridge user may do anything.
func StartBroker(cfg BrokerConfig, reg *devices.Service, log *slog.Logger) (*Broker, error) {
	if cfg.Root == "" {
		cfg.Root = DefaultRoot
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := mochi.New(&mochi.Options{Logger: log, InlineClient: false})
	h := &authHook{cfg: cfg, reg: reg, clients: map[string]string{}}
	if err := s.AddHook(h, nil); err != nil {
		return nil, err
	}
	tcp := listeners.NewTCP(listeners.Config{ID: "atrium-tcp", Address: cfg.Addr})
	if err := s.AddListener(tcp); err != nil {
		return nil, err
	}
	if err := s.Serve(); err != nil {
		return nil, err
	}
	return &Broker{server: s, tcp: tcp}, nil
}

// Close stops the broker.
func (b *Broker) Close() error { return b.server.Close() }

// authHook authenticates against the device registry and enforces topic ownership.
type authHook struct {
	mochi.HookBase
	cfg     BrokerConfig
	reg     *devices.Service
	mu      sync.Mutex
	clients map[string]string // client id → topic prefix it may publish under ("" = bridge); kept for persistent sessions
}

// ID names the hook.
func (h *authHook) ID() string { return "atrium-auth" }

// Provides lists the hook's events.
func (h *authHook) Provides(b byte) bool {
	return bytes.Contains([]byte{mochi.OnConnectAuthenticate, mochi.OnACLCheck, mochi.OnDisconnect, mochi.OnClientExpired}, []byte{b})
}

// OnConnectAuthenticate checks the bridge credential or a device's.
func (h *authHook) OnConnectAuthenticate(cl *mochi.Client, pk packets.Packet) bool {
	user, pass := string(pk.Connect.Username), string(pk.Connect.Password)
	if h.cfg.BridgeUser != "" && user == h.cfg.BridgeUser {
		ok := subtle.ConstantTimeCompare([]byte(pass), []byte(h.cfg.BridgePassword)) == 1
		if ok {
			h.set(cl, "")
		}
		return ok
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if cl.ID != user && !strings.HasPrefix(cl.ID, user+"-") {
		return false // a device's client id is its id (or id-suffix): it cannot take over another session
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
