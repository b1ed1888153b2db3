package storage

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Hub multiplexes every Redis pub/sub subscription of the process over one connection:
// the first local subscriber of a channel subscribes it on the shared go-redis PubSub,
// the last one to leave unsubscribes it, and each message is fanned out to the
// channel's local subscribers. go-redis re-subscribes every channel on its own after
// a reconnect. A subscriber has a bounded buffer (HubBuffer messages); one that falls
// that far behind is dropped (its channel closes, so its GraphQL subscription ends and
// the client can subscribe again) rather than holding up everyone else.
//
// A process thus holds its pool's connections plus one, however many subscriptions
// are open (issue 10, point 11: it used to be one connection per subscription).
type Hub struct {
	client redis.UniversalClient

	mu      sync.Mutex
	ps      *redis.PubSub // nil until the first subscription
	subs    map[string]map[*hubSub]struct{}
	waiting map[string][]chan struct{} // SUBSCRIBEs sent, in order, awaiting Redis's confirmation
	closed  bool
	done    chan struct{} // closed when the receive loop ends

	dropped atomic.Int64
}

// HubBuffer is how many messages a subscriber may have pending before it is dropped.
const HubBuffer = 256

// hubConfirmTimeout bounds the wait for Redis to confirm a new channel's SUBSCRIBE.
const hubConfirmTimeout = 10 * time.Second

// ErrHubClosed is returned by Subscribe after Close.
var ErrHubClosed = errors.New("storage: pub/sub hub closed")

type hubSub struct {
	in chan string          // payloads; closed by the hub (under mu) when the subscriber leaves or is dropped
	fn func(payload string) // instead of in: called in the hub's receive loop
}

func (s *hubSub) close() {
	if s.in != nil {
		close(s.in)
	}
}

func newHub(client redis.UniversalClient) *Hub {
	return &Hub{client: client, subs: map[string]map[*hubSub]struct{}{}, waiting: map[string][]chan struct{}{}}
}

// Subscribe registers a subscriber of channel and returns its payloads; the channel is
// subscribed on Redis when Subscribe returns. The payload channel is closed when ctx
// ends, when the subscriber falls HubBuffer messages behind, or when the hub closes.
func (h *Hub) Subscribe(ctx context.Context, channel string) (<-chan string, error) {
	s := &hubSub{in: make(chan string, HubBuffer)}
	return s.in, h.subscribe(ctx, channel, s)
}

// SubscribeFunc calls fn with each payload published on channel until ctx ends; the
// channel is subscribed on Redis when SubscribeFunc returns. fn runs in the hub's
// receive loop, before any later message of any channel is handed out, so it must be
// quick and must not block (set a flag, signal a channel without waiting): a
// revocation notice handled there takes effect before the events that follow it.
func (h *Hub) SubscribeFunc(ctx context.Context, channel string, fn func(payload string)) error {
	return h.subscribe(ctx, channel, &hubSub{fn: fn})
}

func (h *Hub) subscribe(ctx context.Context, channel string, s *hubSub) error {
	confirmed, err := h.add(ctx, channel, s)
	if err != nil {
		return err
	}
	if confirmed != nil {
		wait, cancel := context.WithTimeout(ctx, hubConfirmTimeout)
		defer cancel()
		select {
		case <-confirmed:
		case <-wait.Done():
			h.remove(channel, s)
			return wait.Err()
		}
	}
	go func() {
		<-ctx.Done()
		h.remove(channel, s)
	}()
	return nil
}

// add registers s; when it is the channel's first local subscriber it sends SUBSCRIBE
// and returns a channel closed when Redis confirms it.
func (h *Hub) add(ctx context.Context, channel string, s *hubSub) (<-chan struct{}, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrHubClosed
	}
	if h.ps == nil {
		h.ps = h.client.Subscribe(context.WithoutCancel(ctx))
		h.done = make(chan struct{})
		go h.receive(h.ps.ChannelWithSubscriptions(redis.WithChannelSize(1024)), h.done)
	}
	local := h.subs[channel]
	if local == nil {
		local = map[*hubSub]struct{}{}
		h.subs[channel] = local
	}
	local[s] = struct{}{}
	if len(local) > 1 {
		return nil, nil // subscribed already
	}
	confirmed := make(chan struct{})
	h.waiting[channel] = append(h.waiting[channel], confirmed)
	if err := h.ps.Subscribe(context.WithoutCancel(ctx), channel); err != nil {
		if q := h.waiting[channel]; len(q) > 0 && q[len(q)-1] == confirmed {
			h.waiting[channel] = q[:len(q)-1]
		}
		h.removeLocked(channel, s)
		return nil, err
	}
	return confirmed, nil
}

// remove unregisters s and closes its channel; the last subscriber of a channel
// unsubscribes it.
func (h *Hub) remove(channel string, s *hubSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(channel, s)
}

func (h *Hub) removeLocked(channel string, s *hubSub) {
	local := h.subs[channel]
	if _, ok := local[s]; !ok {
		return // dropped or removed already
	}
	delete(local, s)
	s.close()
	if len(local) > 0 {
		return
	}
	delete(h.subs, channel)
	if h.ps != nil && !h.closed {
		// A failed UNSUBSCRIBE leaves a channel nobody listens to: its messages are
		// dropped here, and a reconnect does not subscribe it again.
		_ = h.ps.Unsubscribe(context.Background(), channel)
	}
}

// receive fans messages out until the PubSub is closed.
func (h *Hub) receive(msgs <-chan any, done chan struct{}) {
	defer close(done)
	for m := range msgs {
		switch m := m.(type) {
		case *redis.Message:
			h.deliver(m.Channel, m.Payload)
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				h.confirm(m.Channel)
			}
		}
	}
}

func (h *Hub) deliver(channel, payload string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[channel] {
		if s.fn != nil {
			s.fn(payload)
			continue
		}
		select {
		case s.in <- payload:
		default: // too slow: drop the subscriber, not the message for everyone
			h.dropped.Add(1)
			h.removeLocked(channel, s)
		}
	}
}

// confirm wakes the oldest subscriber waiting for channel's SUBSCRIBE (Redis answers
// a connection's commands in order; a re-subscription after a reconnect confirms too).
func (h *Hub) confirm(channel string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	q := h.waiting[channel]
	if len(q) == 0 {
		return
	}
	close(q[0])
	if len(q) == 1 {
		delete(h.waiting, channel)
	} else {
		h.waiting[channel] = q[1:]
	}
}

// HubStats are a hub's numbers.
type HubStats struct {
	Channels    int   // channels subscribed on Redis
	Subscribers int   // local subscribers over all channels
	Dropped     int64 // subscribers dropped for falling behind, since start
}

// Stats returns the hub's numbers.
func (h *Hub) Stats() HubStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := HubStats{Channels: len(h.subs), Dropped: h.dropped.Load()}
	for _, local := range h.subs {
		st.Subscribers += len(local)
	}
	return st
}

// Close ends every subscription and closes the shared connection.
func (h *Hub) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	for channel, local := range h.subs {
		for s := range local {
			delete(local, s)
			s.close()
		}
		delete(h.subs, channel)
	}
	for channel, q := range h.waiting {
		for _, c := range q {
			close(c)
		}
		delete(h.waiting, channel)
	}
	ps, done := h.ps, h.done
	h.mu.Unlock()
	if ps == nil {
		return nil
	}
	err := ps.Close()
	<-done
	return err
}
