package iot

import (
	"context"
	"errors"
	"net"
	"net/url"
	"sync"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// StartKillable is StartRunning with a kill function that makes the replica die as a
// process does: its MQTT connections are cut without a DISCONNECT and never reopened,
// its worker stops without acknowledging anything, and its PostgreSQL lock connection
// ends. Nothing is flushed or handed over.
func StartKillable(ctx context.Context, cfg Config, d Deps) (*Running, func(), error) {
	var mu sync.Mutex
	var conns []net.Conn
	dead := false
	cfg.dial = func(uri *url.URL, _ mqtt.ClientOptions) (net.Conn, error) {
		mu.Lock()
		defer mu.Unlock()
		if dead {
			return nil, errors.New("killed")
		}
		c, err := net.Dial("tcp", uri.Host)
		if err == nil {
			conns = append(conns, c)
		}
		return c, err
	}
	r, err := StartRunning(ctx, cfg, d)
	if err != nil {
		return nil, nil, err
	}
	kill := func() {
		mu.Lock()
		dead = true
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		b := r.Bridge
		b.once.Do(func() { close(b.quit); b.cancel() }) // no Disconnect: the connection is simply gone
		if r.sessions != nil {
			r.sessions.stopReaper()
			_ = r.sessions.close(context.Background())
		}
		b.done.Wait()
		go b.client.Disconnect(0) // stops paho's reconnect loop; nothing reaches the broker
	}
	return r, kill, nil
}

// ClientID is the client id the bridge connected with (its slot's, with Slots > 0).
func (r *Running) ClientID() string {
	if r.sessions != nil {
		return r.sessions.clientID()
	}
	return r.Bridge.cfg.ClientID
}
