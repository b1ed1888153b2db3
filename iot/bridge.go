package iot

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// BridgeConfig configures the bridge's MQTT client.
type BridgeConfig struct {
	URL         string // tcp://host:port
	ClientID    string // stable: the broker keeps the session (and queued messages) under it
	Username    string
	Password    string
	Root        string        // topic root, default "atrium"
	SharedGroup string        // non-empty: subscribe as $share/<group>/… so instances split the load
	Buffer      int           // messages held between the MQTT callback and the worker (default 1000)
	BatchSize   int           // events written per transaction (default 200)
	BatchWait   time.Duration // longest a batch waits to fill (default 20 ms)
	BatchGap    time.Duration // a batch closes when nothing arrives for this long (default 3 ms)
	Instance    string        // this replica, for the metrics' instance label
	Metrics     *Metrics      // nil: no metrics

	drain bool                    // resume a dead replica's session: unsubscribe, process what is queued
	dial  mqtt.OpenConnectionFunc // tests: how the client opens its network connection
}

func (c *BridgeConfig) defaults() {
	if c.Root == "" {
		c.Root = DefaultRoot
	}
	if c.Buffer <= 0 {
		c.Buffer = 1000
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 200
	}
	if c.BatchWait <= 0 {
		c.BatchWait = 20 * time.Millisecond
	}
	if c.BatchGap <= 0 {
		c.BatchGap = 3 * time.Millisecond
	}
}

// Filter is the subscription filter for root (and shared group).
func (c BridgeConfig) Filter() string {
	f := c.Root + "/+/+/+/+"
	if c.SharedGroup != "" {
		f = "$share/" + c.SharedGroup + "/" + f
	}
	return f
}

// Bridge subscribes with QoS 1 and a persistent session, hands messages to a worker
// through a bounded channel (the MQTT callback blocks when it is full, so the broker
// holds the rest), and acknowledges each message only after its batch is committed.
// The worker prepares the next batch (device lookup, decoding) while the one before it
// commits; batches commit one at a time, in the order received.
type Bridge struct {
	cfg    BridgeConfig
	proc   *Processor
	log    *slog.Logger
	client mqtt.Client
	queue  chan *Message
	quit   chan struct{} // closed by Stop: unblocks a callback waiting on a full queue
	once   sync.Once
	cancel context.CancelFunc
	done   sync.WaitGroup

	metrics      *bridgeMetrics
	pending      atomic.Int64  // drain: messages received and not yet acknowledged
	last         atomic.Int64  // unix nanoseconds of the last receipt or acknowledgement
	unsubscribed chan struct{} // drain: closed once the broker acknowledged the unsubscribe
	unsubOnce    sync.Once
	subscribed   chan struct{} // closed once the broker first acknowledged the subscription
	subOnce      sync.Once
}

// NewBridge returns a bridge; Start connects it.
func NewBridge(cfg BridgeConfig, proc *Processor, log *slog.Logger) *Bridge {
	cfg.defaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	proc.Root = cfg.Root
	return &Bridge{cfg: cfg, proc: proc, log: log, queue: make(chan *Message, cfg.Buffer), quit: make(chan struct{}),
		metrics: cfg.Metrics.of(cfg.Instance, cfg.ClientID), unsubscribed: make(chan struct{}),
		subscribed: make(chan struct{})}
}

// Start starts the worker and connects (retrying with back-off until ctx ends). It
// returns once the broker has acknowledged the subscription: a device publishing after
// Start returns is heard even on the first connection of a new session.
func (b *Bridge) Start(ctx context.Context) error {
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	b.cancel = cancel
	b.done.Add(1)
	go b.work(wctx)
	opts := mqtt.NewClientOptions().AddBroker(b.cfg.URL).SetClientID(b.cfg.ClientID).
		SetUsername(b.cfg.Username).SetPassword(b.cfg.Password).
		SetCleanSession(false).SetAutoAckDisabled(true).SetOrderMatters(true).
		SetAutoReconnect(true).SetMaxReconnectInterval(30 * time.Second).
		SetConnectRetry(true).SetConnectRetryInterval(time.Second).SetKeepAlive(30 * time.Second).
		SetDefaultPublishHandler(b.receive).
		SetOnConnectHandler(b.subscribe).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) { b.log.Warn("mqtt connection lost", "err", err) })
	if b.cfg.dial != nil {
		opts.SetCustomOpenConnectionFn(b.cfg.dial)
	}
	b.client = mqtt.NewClient(opts)
	tok := b.client.Connect()
	select {
	case <-tok.Done():
		if err := tok.Error(); err != nil || b.cfg.drain {
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-b.subscribed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// subscribe (re)subscribes on every connection; queued messages of the persistent
// session arrive through the default handler even before it. Draining a dead
// replica's session, it unsubscribes instead: the broker stops sending that session
// new messages (the other members of the shared group get them) and delivers only
// what it had queued.
func (b *Bridge) subscribe(c mqtt.Client) {
	if b.cfg.drain {
		tok := c.Unsubscribe(b.cfg.Filter())
		go func() {
			if tok.Wait(); tok.Error() != nil {
				// Retried on the next connection; a drain that never unsubscribes gives up.
				b.log.Warn("mqtt unsubscribe", "filter", b.cfg.Filter(), "err", tok.Error())
				return
			}
			b.last.Store(time.Now().UnixNano()) // the quiet period starts now at the earliest
			b.unsubOnce.Do(func() { close(b.unsubscribed) })
		}()
		return
	}
	tok := c.Subscribe(b.cfg.Filter(), 1, b.receive)
	go func() {
		if tok.Wait(); tok.Error() != nil {
			b.log.Error("mqtt subscribe", "filter", b.cfg.Filter(), "err", tok.Error())
			return
		}
		b.subOnce.Do(func() { close(b.subscribed) })
	}()
}

// receive is the MQTT callback: it blocks while the buffer is full (back-pressure).
func (b *Bridge) receive(_ mqtt.Client, m mqtt.Message) {
	if b.cfg.drain {
		b.pending.Add(1)
	}
	b.last.Store(time.Now().UnixNano())
	select {
	case b.queue <- &Message{Topic: m.Topic(), Payload: m.Payload(), ReceivedAt: time.Now(), Ack: m.Ack}:
	case <-b.quit:
	}
}

// prepared is a batch and what Processor.Prepare made of it (ok false: preparing
// failed, the commit prepares it again).
type prepared struct {
	msgs []*Message
	prep Prepared
	ok   bool
}

// work runs the bridge's two stages: it collects and prepares batches (parse, device
// lookup, decoding) while a second goroutine commits the batch before, one batch at a
// time and in order; a failed batch is retried with back-off and never acknowledged
// until it commits.
func (b *Bridge) work(ctx context.Context) {
	defer b.done.Done()
	ready := make(chan prepared)
	b.done.Add(1)
	go b.commits(ctx, ready)
	for {
		var batch []*Message
		select {
		case <-ctx.Done():
			return
		case m := <-b.queue:
			batch = append(make([]*Message, 0, b.cfg.BatchSize), m)
		}
		b.fill(ctx, &batch)
		prep, err := b.proc.Prepare(ctx, batch)
		select {
		case ready <- prepared{msgs: batch, prep: prep, ok: err == nil}:
		case <-ctx.Done():
			return
		}
	}
}

// commits commits the prepared batches in the order they come.
func (b *Bridge) commits(ctx context.Context, ready <-chan prepared) {
	defer b.done.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-ready:
			if !b.commit(ctx, p) {
				return
			}
		}
	}
}

// fill adds messages to batch until it is full, BatchWait passes, or nothing arrives
// for BatchGap. The gap matters: a broker sends a subscriber only so many
// unacknowledged messages (Mosquitto's max_inflight_messages, 20 by default), and the
// bridge acknowledges after the commit, so once the broker's window is in the batch
// nothing more comes until it is committed — waiting on would only idle.
func (b *Bridge) fill(ctx context.Context, batch *[]*Message) {
	timer := time.NewTimer(b.cfg.BatchWait)
	defer timer.Stop()
	gap := time.NewTimer(b.cfg.BatchGap)
	defer gap.Stop()
	for len(*batch) < b.cfg.BatchSize {
		select {
		case m := <-b.queue:
			*batch = append(*batch, m)
			gap.Reset(b.cfg.BatchGap)
		case <-gap.C:
			return
		case <-timer.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// commit applies a prepared batch, else (and on every retry) processes it afresh,
// until it succeeds, then acknowledges it; false when stopped.
func (b *Bridge) commit(ctx context.Context, p prepared) bool {
	batch := p.msgs
	wait := 100 * time.Millisecond
	for {
		var err error
		if p.ok {
			err, p.ok = b.proc.Apply(ctx, p.prep), false
		} else {
			err = b.proc.Process(ctx, batch)
		}
		if err == nil {
			now := time.Now()
			for _, m := range batch {
				m.Ack()
			}
			b.metrics.committed(batch, now)
			if b.cfg.drain {
				b.pending.Add(-int64(len(batch)))
			}
			b.last.Store(now.UnixNano())
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		b.metrics.failed()
		b.log.Error("iot batch failed; retrying", "n", len(batch), "err", err)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return false
		}
		wait = min(2*wait, 10*time.Second)
	}
}

// drained reports whether a draining bridge has unsubscribed, committed and
// acknowledged everything it received, and received nothing for quiet.
func (b *Bridge) drained(quiet time.Duration) bool {
	select {
	case <-b.unsubscribed:
	default:
		return false
	}
	return b.pending.Load() == 0 && time.Since(time.Unix(0, b.last.Load())) >= quiet
}

// Stop disconnects and stops the worker; unacknowledged messages are redelivered to
// the next session with the same client id. Stopping twice is harmless.
func (b *Bridge) Stop(ctx context.Context) error {
	b.once.Do(func() {
		close(b.quit)
		if b.client != nil {
			b.client.Disconnect(250)
		}
		if b.cancel != nil {
			b.cancel()
		}
	})
	done := make(chan struct{})
	go func() { b.done.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return errors.Join(ctx.Err(), errors.New("iot bridge: worker did not stop"))
	}
}
