package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/atrium-mall/atrium/server"
)

// TestMetricsNeedALogin: /metrics answers a loopback scrape when no token is set and
// refuses any other address; with ATRIUM_METRICS_TOKEN it wants that bearer token from
// everyone, loopback included.
func TestMetricsNeedALogin(t *testing.T) {
	t.Parallel()
	handler := func(token string) http.Handler {
		return server.Handler(server.Routes{
			GraphQL: http.NotFoundHandler(), Loaders: func(h http.Handler) http.Handler { return h },
			Metrics: server.NewMetrics(nil), Ready: func(context.Context) error { return nil },
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BodySize: 1 << 20, MetricsToken: token,
		})
	}
	scrape := func(h http.Handler, remote, bearer string) int {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = remote
		if bearer != "" {
			r.Header.Set("Authorization", "Bearer "+bearer)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	open, guarded := handler(""), handler("scrape-token-0123456789")
	cases := []struct {
		name   string
		h      http.Handler
		remote string
		bearer string
		want   int
	}{
		{"loopback, no token configured", open, "127.0.0.1:5000", "", 200},
		{"IPv6 loopback, no token configured", open, "[::1]:5000", "", 200},
		{"remote, no token configured", open, "203.0.113.5:5000", "", 403},
		{"remote with a made-up token, none configured", open, "203.0.113.5:5000", "guess", 403},
		{"remote with the token", guarded, "203.0.113.5:5000", "scrape-token-0123456789", 200},
		{"remote without the token", guarded, "203.0.113.5:5000", "", 401},
		{"loopback without the token", guarded, "127.0.0.1:5000", "", 401},
		{"a wrong token", guarded, "127.0.0.1:5000", "scrape-token-0123456780", 401},
	}
	for _, tc := range cases {
		if got := scrape(tc.h, tc.remote, tc.bearer); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
