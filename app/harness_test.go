package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/app"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/config"
	"github.com/atrium-mall/atrium/storage/storetest"
)

const demoPassword = "demo-password-123"

// clock is an injected, settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one test's running Atrium: its own database, Redis prefix, WeChat fake and
// HTTP server, with the demo organisation seeded.
type env struct {
	t      *testing.T
	app    *app.App
	srv    *httptest.Server
	wechat *wechattest.Fake
	clock  *clock
}

func testConfig(t *testing.T, dbURL, wechatURL string) config.Config {
	t.Helper()
	vars := map[string]string{
		"ATRIUM_ENV":             "dev",
		"ATRIUM_DATABASE_URL":    dbURL,
		"ATRIUM_REDIS_URL":       storetest.RedisURL(),
		"ATRIUM_DATA_DIR":        t.TempDir(),
		"ATRIUM_JWT_KEY":         strings.Repeat("k", 40),
		"ATRIUM_WECHAT_APPID":    "wx-test-app",
		"ATRIUM_WECHAT_SECRET":   "wx-test-secret",
		"ATRIUM_WECHAT_API_BASE": wechatURL,
		"ATRIUM_GRAPHQL_DEPTH":   "8",
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func setup(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db := storetest.DB(t)
	rdb := storetest.Redis(t)
	fake := wechattest.New("wx-test-app", "wx-test-secret")
	wx := httptest.NewServer(fake)
	t.Cleanup(wx.Close)
	clk := &clock{now: time.Now()}
	cfg := testConfig(t, storetest.URL(db), wx.URL)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(ctx, cfg, log, app.Options{RedisPrefix: rdb.Prefix, Now: clk.Now, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if _, err := app.SeedDemo(ctx, a.Services.Org, demoPassword); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return &env{t: t, app: a, srv: srv, wechat: fake, clock: clk}
}

// gqlResponse is a GraphQL response.
type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	status int
}

func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// do posts a GraphQL request with an optional bearer token.
func (e *env) do(token, query string, vars map[string]any) gqlResponse {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) gqlResponse {
	e.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out gqlResponse
	raw, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("status %d, body %q: %v", res.StatusCode, raw, err)
	}
	out.status = res.StatusCode
	return out
}

// path digs into nested maps: path(data, "loginStaff", "accessToken").
func path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

const loginStaffQ = `mutation($u: String!, $p: String!) { loginStaff(input: {username: $u, password: $p}) {
	accessToken refreshToken expiresAt userErrors { code field message } viewer { kind } } }`

// login returns access and refresh tokens for a demo account.
func (e *env) login(username string) (string, string) {
	e.t.Helper()
	r := e.do("", loginStaffQ, map[string]any{"u": username, "p": demoPassword})
	access, _ := path(r.Data, "loginStaff", "accessToken").(string)
	refresh, _ := path(r.Data, "loginStaff", "refreshToken").(string)
	if access == "" {
		e.t.Fatalf("login %s failed: %+v", username, r)
	}
	return access, refresh
}

// login2 logs in with an explicit password.
func (e *env) login2(username, password string) (string, string) {
	e.t.Helper()
	r := e.do("", loginStaffQ, map[string]any{"u": username, "p": password})
	access, _ := path(r.Data, "loginStaff", "accessToken").(string)
	refresh, _ := path(r.Data, "loginStaff", "refreshToken").(string)
	if access == "" {
		e.t.Fatalf("login %s failed: %+v", username, r)
	}
	return access, refresh
}
