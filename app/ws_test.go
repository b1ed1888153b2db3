package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// wsClient is a graphql-transport-ws client over a real websocket.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dialWS connects to the test server's /graphql and sends connection_init with token.
// It returns the client and the server's answer to the init (connection_ack, or the
// close error).
func (e *env) dialWS(token string) (*wsClient, error) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.srv.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = conn.CloseNow() })
	c := &wsClient{t: e.t, conn: conn}
	c.send(wsMessage{Type: "connection_init", Payload: mustJSON(map[string]any{"Authorization": "Bearer " + token})})
	for {
		m, err := c.read(5 * time.Second)
		if err != nil {
			return c, err
		}
		if m.Type == "connection_ack" {
			return c, nil
		}
	}
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

func (c *wsClient) send(m wsMessage) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	b, _ := json.Marshal(m)
	if err := c.conn.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
}

func (c *wsClient) read(timeout time.Duration) (wsMessage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, b, err := c.conn.Read(ctx)
	if err != nil {
		return wsMessage{}, err
	}
	var m wsMessage
	return m, json.Unmarshal(b, &m)
}

func (c *wsClient) subscribe(query string, vars map[string]any) {
	c.send(wsMessage{ID: "1", Type: "subscribe", Payload: mustJSON(map[string]any{"query": query, "variables": vars})})
}

// next returns the next data message's payload.
func (c *wsClient) next() string {
	c.t.Helper()
	for {
		m, err := c.read(5 * time.Second)
		if err != nil {
			c.t.Fatalf("waiting for an event: %v", err)
		}
		switch m.Type {
		case "next":
			return string(m.Payload)
		case "error", "complete":
			c.t.Fatalf("subscription ended: %s %s", m.Type, m.Payload)
		}
	}
}

// closedWith waits up to within for the server to close the socket and returns the
// close code (-1: still open).
func (c *wsClient) closedWith(within time.Duration) (websocket.StatusCode, string) {
	deadline := time.Now().Add(within)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return -1, "still open"
		}
		m, err := c.read(left)
		if err == nil {
			if m.Type == "next" {
				c.t.Fatalf("an event reached a socket that should be closed: %s", m.Payload)
			}
			continue
		}
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code, ce.Reason
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return -1, "still open"
		}
		return websocket.CloseStatus(err), err.Error()
	}
}

// waitSubscribed waits until someone listens on channel.
func (e *env) waitSubscribed(channel string) {
	e.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		n, err := e.app.Redis.PubSubNumSub(context.Background(), channel).Result()
		if err != nil {
			e.t.Fatal(err)
		}
		if n[channel] > 0 {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("nobody subscribed to %s", channel)
		}
	}
}

func subject(t *testing.T, token string) uuid.UUID {
	t.Helper()
	var c jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err != nil {
		t.Fatal(err)
	}
	return uuid.MustParse(c.Subject)
}

// shopperCodeEvents logs a shopper in and opens myCodeEvents; it checks that an event
// gets through, and returns the socket, the shopper's token and the event channel.
func (e *env) shopperCodeEvents(code string) (*wsClient, string, func()) {
	e.t.Helper()
	r := e.do("", loginWeChatQ, map[string]any{"c": code})
	token, _ := path(r.Data, "loginWeChat", "accessToken").(string)
	if token == "" {
		e.t.Fatalf("login: %+v", r)
	}
	member := subject(e.t, token)
	c, err := e.dialWS(token)
	if err != nil {
		e.t.Fatalf("connect: %v", err)
	}
	c.subscribe(`subscription { myCodeEvents { type kind } }`, nil)
	channel := e.app.Redis.Key("redemption", "events", member.String())
	e.waitSubscribed(channel)
	publish := func() {
		body := mustJSON(map[string]any{"type": "redeemed", "memberId": member, "codeId": uuid.New(), "kind": "coupon",
			"subjectId": uuid.New(), "redemptionId": uuid.New(), "at": time.Now()})
		if err := e.app.Redis.Publish(context.Background(), channel, string(body)).Err(); err != nil {
			e.t.Fatal(err)
		}
	}
	publish()
	if got := c.next(); !strings.Contains(got, `"redeemed"`) {
		e.t.Fatalf("event: %s", got)
	}
	return c, token, publish
}

// TestWebsocketClosesOnLogout: a shopper's myCodeEvents socket is closed with 4401
// within a second or two of the shopper logging out, and gets no event after.
func TestWebsocketClosesOnLogout(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c, token, publish := e.shopperCodeEvents("code-ws-logout")
	if r := e.do(token, `mutation { logout { ok } }`, nil); path(r.Data, "logout", "ok") != true {
		t.Fatalf("logout: %+v", r)
	}
	publish()
	start := time.Now()
	code, reason := c.closedWith(3 * time.Second) // the revocation notice, not the periodic check
	if code != server.WSCloseUnauthorized {
		t.Fatalf("socket after logout: close code %d (%s), want 4401", code, reason)
	}
	t.Logf("closed %v after logout: %d %s", time.Since(start), code, reason)
}

// TestWebsocketClosesOnExpiry: when the access token expires, the socket is closed
// with 4401 at the next check (every few seconds).
func TestWebsocketClosesOnExpiry(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c, _, _ := e.shopperCodeEvents("code-ws-expiry")
	e.clock.Add(16 * time.Minute) // past the 15-minute access token
	code, reason := c.closedWith(server.DefaultWSRecheck + 3*time.Second)
	if code != server.WSCloseUnauthorized || !strings.Contains(reason, "expired") {
		t.Fatalf("socket after expiry: close code %d (%s), want 4401 expired", code, reason)
	}
}

// TestWebsocketStaffVIPArrivalsClosesOnLogout: the same for a security guard's
// vipArrivals socket.
func TestWebsocketStaffVIPArrivalsClosesOnLogout(t *testing.T) {
	t.Parallel()
	e := setup(t)
	mall, err := e.app.Services.Org.MallByCode(auth.WithViewer(t.Context(), &auth.Viewer{Kind: auth.KindShopper}), "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	token, _ := e.login("guard")
	c, err := e.dialWS(token)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	c.subscribe(`subscription($m: ID!) { vipArrivals(mallId: $m) { entrance } }`, map[string]any{"m": relay.ID("Mall", mall.ID)})
	channel := arrivals.VIPChannel(e.app.Redis, mall.ID.String())
	e.waitSubscribed(channel)
	publish := func() {
		body := mustJSON(arrivals.Arrival{ID: uuid.New(), MallID: mall.ID, MemberID: uuid.New(), Entrance: "north",
			At: time.Now(), VIP: true})
		if err := e.app.Redis.Publish(t.Context(), channel, string(body)).Err(); err != nil {
			t.Fatal(err)
		}
	}
	publish()
	if got := c.next(); !strings.Contains(got, "north") {
		t.Fatalf("event: %s", got)
	}
	if r := e.do(token, `mutation { logout { ok } }`, nil); path(r.Data, "logout", "ok") != true {
		t.Fatalf("logout: %+v", r)
	}
	publish()
	if code, reason := c.closedWith(3 * time.Second); code != server.WSCloseUnauthorized {
		t.Fatalf("staff socket after logout: close code %d (%s), want 4401", code, reason)
	}
}

// TestWebsocketRefusedInitCloses4403: a connection_init with a revoked or garbage token
// is refused with 4403, as graphql-transport-ws asks.
func TestWebsocketRefusedInitCloses4403(t *testing.T) {
	t.Parallel()
	e := setup(t)
	token, _ := e.login("desk")
	if r := e.do(token, `mutation { logout { ok } }`, nil); path(r.Data, "logout", "ok") != true {
		t.Fatalf("logout: %+v", r)
	}
	for name, tok := range map[string]string{"revoked": token, "garbage": "not-a-token"} {
		_, err := e.dialWS(tok)
		if code := websocket.CloseStatus(err); code != server.WSCloseForbidden {
			t.Fatalf("%s token: %v (close code %d), want 4403", name, err, code)
		}
	}
}

// TestWebsocketsShareOneRedisConnection: 50 shoppers with a myCodeEvents socket each
// (100 Redis channels: their events and their sessions' revocations) hold one Redis
// pub/sub connection, not 50 or 100; each still gets its own events.
func TestWebsocketsShareOneRedisConnection(t *testing.T) {
	t.Parallel()
	name := strings.ReplaceAll(storetest.RandomName("ws"), ":", "-")
	u, err := url.Parse(storetest.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("client_name", name)
	u.RawQuery = q.Encode()
	// 50 shoppers log in from one address: above the default login rate limit.
	e := setup(t, servicetest.Setting("ATRIUM_REDIS_URL", u.String()), servicetest.Setting("ATRIUM_RATE_LOGIN", "1000"))
	const sockets = 50
	publish := make([]func(), sockets)
	clients := make([]*wsClient, sockets)
	for i := range sockets {
		clients[i], _, publish[i] = e.shopperCodeEvents(fmt.Sprintf("code-ws-many-%d", i))
	}
	if st := e.app.Redis.Hub().Stats(); st.Subscribers != 2*sockets {
		t.Fatalf("hub stats %+v, want %d subscribers", st, 2*sockets)
	}
	list, err := e.app.Redis.ClientList(t.Context()).Result()
	if err != nil {
		t.Fatal(err)
	}
	all, subscribed := 0, 0
	for _, line := range strings.Split(list, "\n") {
		if !strings.Contains(line, " name="+name+" ") {
			continue
		}
		all++
		if !strings.Contains(line, " sub=0 ") {
			subscribed++
		}
	}
	t.Logf("%d sockets: %d Redis connections, %d of them subscribed", sockets, all, subscribed)
	if subscribed != 1 || all > 20 { // one pub/sub connection; the pool is capped below 50 anyway
		t.Fatalf("%d sockets hold %d Redis connections (%d subscribed), want 1 subscribed and a bounded pool",
			sockets, all, subscribed)
	}
	for i := range sockets { // each socket still gets its own events
		publish[i]()
		if got := clients[i].next(); !strings.Contains(got, `"redeemed"`) {
			t.Fatalf("socket %d: event %s", i, got)
		}
	}
}
