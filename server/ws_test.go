package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/service/errs"
)

// feed replaces myCodeEvents with events the test sends.
type feed struct {
	graph.ResolverRoot
	events chan model.RedemptionEvent
}

func (f feed) Subscription() graph.SubscriptionResolver {
	return feedSub{f.ResolverRoot.Subscription(), f.events}
}

type feedSub struct {
	graph.SubscriptionResolver
	events chan model.RedemptionEvent
}

func (f feedSub) MyCodeEvents(ctx context.Context) (<-chan model.RedemptionEvent, error) {
	out := make(chan model.RedemptionEvent)
	go func() {
		defer close(out)
		for {
			select {
			case e := <-f.events:
				select {
				case out <- e:
				case <-ctx.Done():
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// guardCase is a socket whose guard's verdicts the test controls.
type guardCase struct {
	events  chan model.RedemptionEvent
	verdict chan error // each Check takes the next verdict (and waits for one)
	notice  func()
	mu      sync.Mutex
	conn    *websocket.Conn
}

func newGuardCase(t *testing.T) *guardCase {
	t.Helper()
	g := &guardCase{events: make(chan model.RedemptionEvent), verdict: make(chan error)}
	ready := make(chan struct{})
	cfg := resolvers.Config(resolvers.Services{})
	cfg.Resolvers = feed{cfg.Resolvers, g.events}
	gql := server.NewGraphQL(cfg, server.GraphQLOptions{Complexity: 500, Depth: 6,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), WSRecheck: time.Hour,
		WSInit: func(ctx context.Context, _ transport.InitPayload) (context.Context, error) {
			ctx = auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New(), SessionID: "s"})
			return server.WithWSGuard(ctx, server.WSGuard{
				Check: func(ctx context.Context) error {
					select {
					case err := <-g.verdict:
						return err
					case <-ctx.Done():
						return nil
					}
				},
				Watch: func(_ context.Context, notice func()) error {
					g.notice = notice
					close(ready)
					return nil
				},
			}), nil
		}})
	srv := httptest.NewServer(gql)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"),
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	g.conn = conn
	g.write(t, `{"type":"connection_init","payload":{}}`)
	if m := g.read(t); !strings.Contains(m, "connection_ack") {
		t.Fatalf("init: %s", m)
	}
	<-ready
	g.write(t, `{"id":"1","type":"subscribe","payload":{"query":"subscription { myCodeEvents { type } }"}}`)
	return g
}

func (g *guardCase) write(t *testing.T, s string) {
	t.Helper()
	if err := g.conn.Write(context.Background(), websocket.MessageText, []byte(s)); err != nil {
		t.Fatal(err)
	}
}

// read returns the next message other than a keep-alive, or the close error's text.
func (g *guardCase) read(t *testing.T) string {
	t.Helper()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, b, err := g.conn.Read(ctx)
		cancel()
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			return "close " + ce.Code.String() + " " + ce.Reason
		}
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ Type string }
		_ = json.Unmarshal(b, &m)
		if m.Type != "ka" && m.Type != "ping" && m.Type != "pong" {
			return string(b)
		}
	}
}

func (g *guardCase) send(typ string) {
	g.events <- model.RedemptionEvent{Type: typ, Kind: "coupon", SubjectID: "s", RedemptionID: "r", At: time.Now()}
}

func TestWebsocketGuard(t *testing.T) {
	t.Parallel()
	t.Run("an event goes through while the checks pass or cannot tell", func(t *testing.T) {
		t.Parallel()
		g := newGuardCase(t)
		g.send("one")
		if m := g.read(t); !strings.Contains(m, `"one"`) {
			t.Fatalf("got %s", m)
		}
		g.notice()
		g.verdict <- errors.New("redis: connection refused") // says nothing either way: stays open
		g.send("two")
		if m := g.read(t); !strings.Contains(m, `"two"`) {
			t.Fatalf("got %s", m)
		}
	})
	t.Run("an event held by a notice is sent when the check passes", func(t *testing.T) {
		t.Parallel()
		g := newGuardCase(t)
		g.notice()
		go g.send("held")
		time.Sleep(50 * time.Millisecond) // not a timing claim: gives the event a chance to overtake the verdict
		g.verdict <- nil
		if m := g.read(t); !strings.Contains(m, `"held"`) {
			t.Fatalf("got %s", m)
		}
	})
	t.Run("a revoked session closes with 4401 and the held event never goes out", func(t *testing.T) {
		t.Parallel()
		g := newGuardCase(t)
		g.notice()
		go g.send("after logout")
		time.Sleep(50 * time.Millisecond)
		g.verdict <- errs.ErrUnauthenticated.Msgf("session revoked or expired")
		if m := g.read(t); !strings.HasPrefix(m, "close StatusCode(4401) Unauthorized: session revoked") {
			t.Fatalf("got %s, want a 4401 close and no event", m)
		}
	})
	t.Run("changed grants close with 4403", func(t *testing.T) {
		t.Parallel()
		g := newGuardCase(t)
		g.notice()
		g.verdict <- errs.ErrForbidden.Msgf("the account's roles changed")
		if m := g.read(t); !strings.HasPrefix(m, "close StatusCode(4403) Forbidden: the account's roles changed") {
			t.Fatalf("got %s, want a 4403 close", m)
		}
	})
}
