package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/app"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

const demoPassword = "demo-password-123"

// env is one test's running Atrium: its own database, Redis prefix, WeChat fake and
// HTTP server, with the demo organisation seeded.
type env struct {
	t      *testing.T
	app    *app.App
	srv    *httptest.Server
	wechat *wechattest.Fake
	clock  *redemptiontest.Clock
}

func setup(t *testing.T, opts ...servicetest.Option) *env {
	t.Helper()
	fake, wechat := servicetest.FakeWeChat(t)
	clk := redemptiontest.NewClock(time.Now())
	a := servicetest.New(t, storetest.DB(t), append([]servicetest.Option{wechat, servicetest.Clock(clk.Now),
		servicetest.Setting("ATRIUM_GRAPHQL_DEPTH", "8"), servicetest.Setting("ATRIUM_TIMEZONE", "Asia/Shanghai")}, opts...)...).App
	if _, err := app.SeedDemo(context.Background(), a.Services.Org, demoPassword); err != nil {
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
	req := servicetest.Request(context.Background(), e.srv.URL+"/graphql", query, vars)
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
	servicetest.Decode(e.t, res.StatusCode, res.Body, &out)
	out.status = res.StatusCode
	return out
}

// path digs into nested maps: path(data, "loginStaff", "accessToken").
var path = servicetest.Field

const loginStaffQ = `mutation($u: String!, $p: String!) { loginStaff(input: {username: $u, password: $p}) {
	accessToken refreshToken expiresAt userErrors { code field message } viewer { kind } } }`

// login returns access and refresh tokens for a demo account.
func (e *env) login(username string) (string, string) {
	e.t.Helper()
	return e.login2(username, demoPassword)
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
