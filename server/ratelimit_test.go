package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func same(c graph.Config) graph.Config { return c }

// send posts query, with a bearer token when token is not empty.
func send(t *testing.T, srv *httptest.Server, token string, body map[string]any) (*http.Response, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, string(out)
}

// TestOversizedResponseIsRefused: a response above the cap is replaced by one small
// RESPONSE_TOO_LARGE error; a response under it is untouched.
func TestOversizedResponseIsRefused(t *testing.T) {
	t.Parallel()
	srv := newServerWith(t, same, func(o *server.GraphQLOptions, _ *server.Routes) { o.MaxResponse = 2048 })
	var b strings.Builder
	b.WriteString("{")
	for i := range 200 { // 200 aliases of 20+ characters: about 6 KB of data
		b.WriteString(" alias_number_" + strconv.Itoa(1000000+i) + ": __typename")
	}
	b.WriteString(" }")
	start := time.Now()
	_, body := post(t, srv, b.String())
	if len(body) > 512 || !strings.Contains(body, `"RESPONSE_TOO_LARGE"`) || strings.Contains(body, "alias_number") {
		t.Fatalf("%d bytes: %.400s", len(body), body)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %v", d)
	}
	if _, body := post(t, srv, `{ __typename }`); !strings.Contains(body, `"__typename":"Query"`) {
		t.Fatalf("small response: %s", body)
	}
}

// TestRateLimitsAreSharedByReplicas: two servers over one Redis share each client's
// count: anonymous requests beyond the rate get 429 RATE_LIMITED with Retry-After
// whichever server they reach, logged-in requests are not counted, and login mutations
// (each aliased login field counted) have their own, lower rate.
func TestRateLimitsAreSharedByReplicas(t *testing.T) {
	t.Parallel()
	rdb := storetest.Redis(t)
	replica := func() *httptest.Server {
		return newServerWith(t, same, func(o *server.GraphQLOptions, r *server.Routes) {
			lim := server.NewRateLimiter(rdb)
			lim.Anonymous = server.Rate{Limit: 5, Window: time.Minute}
			lim.Login = server.Rate{Limit: 3, Window: time.Minute}
			o.RateLimits, r.RateLimits = lim, lim
		})
	}
	a, b := replica(), replica()
	t.Run("anonymous", func(t *testing.T) {
		for i, srv := range []*httptest.Server{a, b, a, b, a} {
			if res, body := send(t, srv, "", map[string]any{"query": "{ __typename }"}); res.StatusCode != 200 {
				t.Fatalf("request %d: %d %s", i, res.StatusCode, body)
			}
		}
		for _, srv := range []*httptest.Server{a, b} {
			res, body := send(t, srv, "", map[string]any{"query": "{ __typename }"})
			ra, _ := strconv.Atoi(res.Header.Get("Retry-After"))
			if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, `"RATE_LIMITED"`) || ra < 1 || ra > 60 {
				t.Fatalf("over the rate: %d Retry-After %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
			}
		}
		// A logged-in client is not counted by address.
		if res, body := send(t, a, "token", map[string]any{"query": "{ __typename }"}); res.StatusCode != 200 {
			t.Fatalf("logged in: %d %s", res.StatusCode, body)
		}
	})
	t.Run("logins", func(t *testing.T) {
		login := `mutation { a: loginStaff(input: {username: "x", password: "y"}) { accessToken }
			b: loginStaff(input: {username: "z", password: "y"}) { accessToken } }`
		// Two login fields on a: counted 2 of 3 (they run, and fail for want of services).
		if res, body := send(t, a, "token", map[string]any{"query": login}); res.StatusCode != 200 || strings.Contains(body, "RATE_LIMITED") {
			t.Fatalf("first: %d %s", res.StatusCode, body)
		}
		// Two more on b: 4 of 3, refused before anything runs.
		res, body := send(t, b, "token", map[string]any{"query": login})
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(body, `"RATE_LIMITED"`) || strings.Contains(body, "INTERNAL") {
			t.Fatalf("over the login rate: %d %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
		}
		// Queries are not logins.
		if res, body := send(t, b, "token", map[string]any{"query": "{ __typename }"}); res.StatusCode != 200 {
			t.Fatalf("query: %d %s", res.StatusCode, body)
		}
	})
}

// TestWebsocketUpgradeThroughLimits: the websocket upgrade still works through the
// rate-limit wrappers (the upgrade needs the connection's original writer).
func TestWebsocketUpgradeThroughLimits(t *testing.T) {
	t.Parallel()
	rdb := storetest.Redis(t)
	srv := newServerWith(t, same, func(o *server.GraphQLOptions, r *server.Routes) {
		lim := server.NewRateLimiter(rdb)
		o.RateLimits, r.RateLimits = lim, lim
	})
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	c, res, err := d.Dial(strings.Replace(srv.URL, "http", "ws", 1)+"/graphql", nil)
	if err != nil {
		t.Fatalf("dial: %v %+v", err, res)
	}
	_ = c.Close()
}
