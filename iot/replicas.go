package iot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage"
)

// Replicas behind one external broker and a shared subscription (Config.Slots > 0).
//
// Each replica uses the client id <ClientID>-<k> of the first slot k whose PostgreSQL
// session advisory lock it can take, on a connection of its own: the lock lives as long
// as the process, however it ends. The client ids in use are recorded in
// mqtt_bridge_sessions. Every ReapEvery, a replica tries the locks of the recorded ids
// of other slots; the lock of a slot it gets belongs to a replica that is gone, whose
// persistent session still holds its shared subscription and the messages the broker
// queued for it. The replica then resumes that session (clean session false),
// unsubscribes (the broker sends the session nothing new), processes and acknowledges
// what was queued, as its own bridge does, until nothing arrives for DrainQuiet; then it
// connects once more with clean session true, which drops the session, forgets the id
// and releases the lock. A replica that starts takes the lowest free slot — the session
// of a dead replica, if one is waiting — so replicas that come and go reuse a few ids.

// sessions is a replica's slot and its reaper of dead replicas' sessions.
type sessions struct {
	db       *storage.DB
	locks    *devices.SessionLocks
	base     string // Config.ClientID: slots are <base>-<k>
	own      string
	bridge   BridgeConfig // template of the drains
	handlers Handlers
	log      *slog.Logger
	every    time.Duration
	quiet    time.Duration
	metrics  *Metrics
	instance string
	slots    int
	relock   func(ctx context.Context, id string) error // restarts the replica's bridge under id

	cancel context.CancelFunc
	done   sync.WaitGroup
	mu     sync.Mutex // guards own for readers outside the reaper
}

// clientID is the client id the replica holds now.
func (s *sessions) clientID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.own
}

// takeSlot takes the first free slot of base among n and records its client id.
func takeSlot(ctx context.Context, db *storage.DB, base string, n int) (*devices.SessionLocks, string, error) {
	locks, err := devices.OpenSessionLocks(ctx, db)
	if err != nil {
		return nil, "", err
	}
	for k := range n {
		id := fmt.Sprintf("%s-%d", base, k)
		ok, err := locks.TryLock(ctx, id)
		if err != nil {
			return nil, "", errors.Join(err, locks.Close(ctx))
		}
		if !ok {
			continue
		}
		if err := devices.RegisterBridgeSession(ctx, db.Pool, id, time.Now()); err != nil {
			return nil, "", errors.Join(err, locks.Close(ctx))
		}
		if err := devices.RegisterLegacyBridgeSession(ctx, db.Pool, base, time.Now()); err != nil {
			return nil, "", errors.Join(err, locks.Close(ctx))
		}
		return locks, id, nil
	}
	return nil, "", errors.Join(fmt.Errorf("all %d MQTT client id slots of %q are held by other replicas "+
		"(raise ATRIUM_MQTT_SLOTS)", n, base), locks.Close(ctx))
}

// start starts the reaper.
func (s *sessions) start() {
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		t := time.NewTicker(s.every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.reap(ctx)
			}
		}
	}()
}

// stop stops the reaper (an unfinished drain is left to another replica) and ends the
// lock connection; the caller stops the replica's own bridge first.
func (s *sessions) stopReaper() {
	if s.cancel != nil {
		s.cancel()
	}
	s.done.Wait()
}

func (s *sessions) close(ctx context.Context) error {
	return s.locks.Close(ctx)
}

// reap drains the sessions of the slots no replica holds; first it makes sure this
// replica still holds its own.
func (s *sessions) reap(ctx context.Context) {
	if err := s.locks.Ping(ctx); err != nil {
		if ctx.Err() == nil {
			s.log.Error("mqtt session lock connection lost; taking a slot anew", "client_id", s.own, "err", err)
			if err := s.retake(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("mqtt: take a slot; retried", "err", err)
			}
		}
		return
	}
	ids, err := devices.BridgeSessions(ctx, s.db.Pool, s.base)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("mqtt bridge sessions", "err", err)
		}
		return
	}
	for _, id := range ids {
		if id == s.own || !isSlot(s.base, id) {
			continue
		}
		ok, err := s.locks.TryLock(ctx, id)
		if err != nil || !ok {
			continue
		}
		s.log.Warn("mqtt: draining the session of a replica that is gone", "client_id", id)
		if err := s.drain(ctx, id); err != nil && ctx.Err() != nil {
			s.log.Info("mqtt: drain stopped with this replica; another replica takes it over", "client_id", id, "err", err)
		} else if err != nil {
			s.log.Error("mqtt: drain failed; retried later", "client_id", id, "err", err)
		} else if err := devices.ForgetBridgeSession(ctx, s.db.Pool, id); err != nil {
			s.log.Error("mqtt: forget drained session", "client_id", id, "err", err)
		} else {
			s.metrics.drained(s.instance)
			s.log.Info("mqtt: drained and dropped the session", "client_id", id)
		}
		if err := s.locks.Unlock(context.WithoutCancel(ctx), id); err != nil {
			s.log.Error("mqtt: unlock drained session", "client_id", id, "err", err)
		}
	}
}

// retake handles a lost lock connection: the replica's slot is free, so another replica
// may drain its session at any moment. The replica's bridge is stopped (whoever holds
// the slot next gets what is left in the session), a slot is taken anew on a new
// connection — the same one, if still free — and the bridge restarted under it. While
// PostgreSQL is unreachable this fails, the bridge stays stopped (it could commit
// nothing) and the next tick tries again.
func (s *sessions) retake(ctx context.Context) error {
	if err := s.relock(ctx, ""); err != nil { // "": stop only
		return err
	}
	_ = s.locks.Close(ctx)
	locks, id, err := takeSlot(ctx, s.db, s.base, s.slots)
	if err != nil {
		s.locks = devices.ClosedSessionLocks() // Ping fails: retried next tick
		return err
	}
	s.mu.Lock()
	s.locks, s.own = locks, id
	s.mu.Unlock()
	return s.relock(ctx, id)
}

// isSlot reports whether id is <base>-<number>, or base itself: the client id a bridge
// used before slots, whose session a replica drains once after an upgrade.
func isSlot(base, id string) bool {
	if id == base {
		return true
	}
	k, ok := strings.CutPrefix(id, base+"-")
	if !ok {
		return false
	}
	_, err := strconv.Atoi(k)
	return err == nil
}

// drain resumes the session of id, processes what the broker queued for it, and drops it.
func (s *sessions) drain(ctx context.Context, id string) error {
	cfg := s.bridge
	cfg.ClientID, cfg.drain = id, true
	b := NewBridge(cfg, &Processor{DB: s.db, Handlers: s.handlers, Log: s.log}, s.log)
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	err := b.Start(cctx)
	cancel()
	if err != nil {
		return errors.Join(err, b.Stop(context.WithoutCancel(ctx)))
	}
	start := time.Now()
	for !b.drained(s.quiet) {
		select {
		case <-b.unsubscribed:
		default:
			if time.Since(start) > 30*time.Second {
				return errors.Join(errors.New("not unsubscribed within 30 s"), b.Stop(context.WithoutCancel(ctx)))
			}
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), b.Stop(context.WithoutCancel(ctx)))
		case <-time.After(50 * time.Millisecond):
		}
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := b.Stop(sctx); err != nil {
		return err
	}
	return dropSession(sctx, cfg)
}

// dropSession connects as cfg.ClientID with clean session true and disconnects: the
// broker discards the persistent session (its subscriptions and anything queued).
func dropSession(ctx context.Context, cfg BridgeConfig) error {
	opts := mqtt.NewClientOptions().AddBroker(cfg.URL).SetClientID(cfg.ClientID).
		SetUsername(cfg.Username).SetPassword(cfg.Password).SetCleanSession(true).SetAutoReconnect(false)
	if cfg.dial != nil {
		opts.SetCustomOpenConnectionFn(cfg.dial)
	}
	c := mqtt.NewClient(opts)
	tok := c.Connect()
	select {
	case <-tok.Done():
	case <-ctx.Done():
		return ctx.Err()
	}
	if tok.Error() != nil {
		return fmt.Errorf("drop session %s: %w", cfg.ClientID, tok.Error())
	}
	c.Disconnect(250)
	return nil
}

// replicas sets the metrics of bc and, with cfg.Slots > 0, takes a slot (bc's client
// id) and prepares the reaper of dead replicas' sessions (started once the bridge is).
func (r *Running) replicas(ctx context.Context, cfg Config, d Deps, bc *BridgeConfig) error {
	bc.Instance, bc.Metrics, bc.dial = cfg.Instance, d.Metrics, cfg.dial
	if bc.Instance == "" {
		bc.Instance, _ = os.Hostname()
	}
	if cfg.Slots <= 0 {
		return nil
	}
	log := d.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	locks, id, err := takeSlot(ctx, d.DB, cfg.ClientID, cfg.Slots)
	if err != nil {
		return err
	}
	bc.ClientID = id
	s := &sessions{db: d.DB, locks: locks, base: cfg.ClientID, own: id, bridge: *bc, handlers: d.Handlers, log: log,
		every: cfg.ReapEvery, quiet: cfg.DrainQuiet, metrics: d.Metrics, instance: bc.Instance, slots: cfg.Slots}
	s.relock = func(ctx context.Context, id string) error { // runs on the reaper only; Stop waits for it
		if id == "" {
			return r.Bridge.Stop(ctx)
		}
		c := s.bridge
		c.ClientID = id
		r.Bridge = NewBridge(c, &Processor{DB: d.DB, Handlers: d.Handlers, Log: d.Log}, log)
		return r.Bridge.Start(ctx)
	}
	if s.every <= 0 {
		s.every = 5 * time.Second
	}
	if s.quiet <= 0 {
		s.quiet = 2 * time.Second
	}
	r.sessions = s
	return nil
}
