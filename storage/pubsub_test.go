package storage_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

type hubEvent struct {
	N int `json:"n"`
}

// namedRedis opens a client whose connections carry a name of the test's own, so
// CLIENT LIST tells them apart from every other test's.
func namedRedis(t *testing.T) (storage.Redis, string) {
	t.Helper()
	name := strings.ReplaceAll(storetest.RandomName("hub"), ":", "-")
	u, err := url.Parse(storetest.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("client_name", name)
	u.RawQuery = q.Encode()
	r, err := storage.OpenRedis(context.Background(), u.String(), storetest.RandomName("test:")+":")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r, name
}

// connections counts the server's connections named name.
func connections(t *testing.T, admin storage.Redis, name string) int {
	t.Helper()
	list, err := admin.ClientList(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(list, "\n") {
		if strings.Contains(line, " name="+name+" ") {
			n++
		}
	}
	return n
}

// pubsubConnIDs returns the ids of the connections named name that are subscribed.
func pubsubConnIDs(t *testing.T, admin storage.Redis, name string) []string {
	t.Helper()
	list, err := admin.ClientList(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, line := range strings.Split(list, "\n") {
		if !strings.Contains(line, " name="+name+" ") || strings.Contains(line, " sub=0 ") {
			continue
		}
		for _, f := range strings.Fields(line) {
			if v, ok := strings.CutPrefix(f, "id="); ok {
				ids = append(ids, v)
			}
		}
	}
	return ids
}

func pubsubConnID(t *testing.T, admin storage.Redis, name string) string {
	t.Helper()
	ids := pubsubConnIDs(t, admin, name)
	if len(ids) != 1 {
		t.Fatalf("%d subscribed connections named %s, want 1", len(ids), name)
	}
	return ids[0]
}

func waitFor(timeout time.Duration, ready func() bool) bool {
	for deadline := time.Now().Add(timeout); !ready(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

func numSub(t *testing.T, admin storage.Redis, channels ...string) int64 {
	t.Helper()
	m, err := admin.PubSubNumSub(context.Background(), channels...).Result()
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, c := range m {
		n += c
	}
	return n
}

// TestHubOneConnectionForManySubscriptions: 50 subscriptions (on 25 channels, two
// subscribers each) hold one pub/sub connection, not 50; each subscriber gets the
// events of its channel; when their contexts end the channels are unsubscribed.
func TestHubOneConnectionForManySubscriptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r, name := namedRedis(t)
	admin := storetest.Redis(t)
	const subs = 50
	channels := make([]string, subs/2)
	for i := range channels {
		channels[i] = r.Key("hub", fmt.Sprint(i))
	}
	sctx, cancel := context.WithCancel(ctx)
	outs := make([]<-chan hubEvent, subs)
	for i := range outs {
		out, err := storage.SubscribeJSON[hubEvent](sctx, r, channels[i%len(channels)], 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		outs[i] = out
	}
	if n := connections(t, admin, name); n > 2 {
		t.Fatalf("%d subscriptions hold %d connections, want at most 2 (the pool's one and the pub/sub one)", subs, n)
	}
	if n := numSub(t, admin, channels...); n != int64(len(channels)) {
		t.Fatalf("%d subscribers on Redis, want one per channel (%d)", n, len(channels))
	}
	if st := r.Hub().Stats(); st.Channels != len(channels) || st.Subscribers != subs {
		t.Fatalf("hub stats %+v, want %d channels, %d subscribers", st, len(channels), subs)
	}
	for i, ch := range channels {
		if err := admin.Publish(ctx, ch, fmt.Sprintf(`{"n":%d}`, i)).Err(); err != nil {
			t.Fatal(err)
		}
	}
	for i, out := range outs {
		select {
		case e := <-out:
			if e.N != i%len(channels) {
				t.Fatalf("subscriber %d got event %d, want %d", i, e.N, i%len(channels))
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("subscriber %d got no event", i)
		}
	}
	cancel()
	for _, out := range outs {
		for range out { // closed when the context ends
		}
	}
	if !waitFor(5*time.Second, func() bool { return numSub(t, admin, channels...) == 0 }) {
		t.Fatal("channels still subscribed after every subscriber left")
	}
	if st := r.Hub().Stats(); st.Channels != 0 || st.Subscribers != 0 {
		t.Fatalf("hub stats %+v after every subscriber left", st)
	}
}

// TestHubChurnUnderRace: many goroutines subscribe and unsubscribe the same few
// channels while steady subscribers keep receiving every event published to them.
func TestHubChurnUnderRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r, name := namedRedis(t)
	admin := storetest.Redis(t)
	channels := []string{r.Key("a"), r.Key("b"), r.Key("c")}
	steady := make([]<-chan hubEvent, len(channels))
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for i, ch := range channels {
		out, err := storage.SubscribeJSON[hubEvent](sctx, r, ch, 1000, nil)
		if err != nil {
			t.Fatal(err)
		}
		steady[i] = out
	}
	const events = 200
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // publisher
		defer wg.Done()
		for n := range events {
			for _, ch := range channels {
				_ = admin.Publish(ctx, ch, fmt.Sprintf(`{"n":%d}`, n)).Err()
			}
		}
	}()
	errs := make(chan error, 64)
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				c, stop := context.WithCancel(ctx)
				out, err := storage.SubscribeJSON[hubEvent](c, r, channels[(g+i)%len(channels)], 0, nil)
				if err != nil {
					stop()
					errs <- err
					return
				}
				if i%3 == 0 { // take one event now and then, or none
					select {
					case <-out:
					case <-time.After(time.Millisecond):
					}
				}
				stop()
				for range out {
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, out := range steady {
		for n := range events {
			select {
			case e := <-out:
				if e.N != n {
					t.Fatalf("channel %d: event %d, want %d (in order, none lost)", i, e.N, n)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("channel %d: event %d never came", i, n)
			}
		}
	}
	if n := connections(t, admin, name); n > 3 {
		t.Fatalf("%d connections after 1,280 subscriptions, want at most 3", n)
	}
	if !waitFor(5*time.Second, func() bool { return r.Hub().Stats().Subscribers == len(channels) }) {
		t.Fatalf("hub stats %+v, want only the %d steady subscribers", r.Hub().Stats(), len(channels))
	}
	if n := numSub(t, admin, channels...); n != int64(len(channels)) {
		t.Fatalf("%d Redis subscribers, want %d (one per channel)", n, len(channels))
	}
}

// TestHubResubscribesAfterReconnect: when Redis drops the shared connection, the hub's
// channels are subscribed again and events reach the subscriber.
func TestHubResubscribesAfterReconnect(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r, name := namedRedis(t)
	admin := storetest.Redis(t)
	ch := r.Key("events")
	out, err := storage.SubscribeJSON[hubEvent](ctx, r, ch, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := pubsubConnID(t, admin, name)
	if err := admin.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err != nil {
		t.Fatal(err)
	}
	if !waitFor(5*time.Second, func() bool { // go-redis notices (health check) and reconnects
		again := pubsubConnIDs(t, admin, name)
		return len(again) == 1 && again[0] != id
	}) {
		t.Fatal("the hub did not reconnect")
	}
	got := false
	for try := 0; try < 100 && !got; try++ {
		_ = admin.Publish(ctx, ch, `{"n":7}`).Err()
		select {
		case e := <-out:
			got = e.N == 7
		case <-time.After(100 * time.Millisecond):
		}
	}
	if !got {
		t.Fatal("no event after the pub/sub connection was killed")
	}
}

// TestHubDropsSlowSubscriber: a subscriber that stops reading is dropped once
// HubBuffer messages are pending; the others get every message.
func TestHubDropsSlowSubscriber(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r, _ := namedRedis(t)
	admin := storetest.Redis(t)
	ch := r.Key("events")
	slow, err := storage.SubscribeJSON[hubEvent](ctx, r, ch, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := storage.SubscribeJSON[hubEvent](ctx, r, ch, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	total := storage.HubBuffer * 2
	done := make(chan int)
	go func() {
		n := 0
		for e := range fast {
			if e.N != n {
				break
			}
			if n++; n == total {
				break
			}
		}
		done <- n
	}()
	for n := range total {
		if err := admin.Publish(ctx, ch, fmt.Sprintf(`{"n":%d}`, n)).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if n := <-done; n != total {
		t.Fatalf("the fast subscriber got %d of %d messages in order", n, total)
	}
	if !waitFor(5*time.Second, func() bool { return r.Hub().Stats().Dropped == 1 }) {
		t.Fatalf("hub stats %+v, want the slow subscriber dropped", r.Hub().Stats())
	}
	n := 0
	for range slow { // what was buffered, then closed
		n++
	}
	if n == 0 || n >= total {
		t.Fatalf("the slow subscriber got %d messages, want some and then its channel closed", n)
	}
}

// TestHubSubscribeFuncRunsBeforeLaterMessages: a callback subscriber (a revocation
// notice) has run before any message published after its own is handed out.
func TestHubSubscribeFuncRunsBeforeLaterMessages(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	r, _ := namedRedis(t)
	admin := storetest.Redis(t)
	notices, events := r.Key("notices"), r.Key("events")
	var seen atomic.Bool
	if err := r.Hub().SubscribeFunc(ctx, notices, func(string) { seen.Store(true) }); err != nil {
		t.Fatal(err)
	}
	out, err := storage.SubscribeJSON[hubEvent](ctx, r, events, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Publish(ctx, notices, `{}`).Err(); err != nil {
		t.Fatal(err)
	}
	if err := admin.Publish(ctx, events, `{"n":1}`).Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-out:
		if !seen.Load() {
			t.Fatal("the event was handed out before the notice published ahead of it was handled")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
	}
}
