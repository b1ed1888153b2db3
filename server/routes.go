package server

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Routes are the pieces of the HTTP surface.
type Routes struct {
	GraphQL  http.Handler
	Dev      bool // serve the GraphiQL page at /
	Authn    Authenticator
	Loaders  func(http.Handler) http.Handler // per-request dataloaders
	Metrics  *Metrics
	Ready    func(ctx context.Context) error
	Objects  http.Handler // local object store's presigned URLs, or nil
	Logger   *slog.Logger
	BodySize int64 // cap of a body with credentials (default DefaultBodySize)
	// AnonymousBodySize caps the body of a request without credentials (default
	// DefaultAnonymousBodySize; never above BodySize).
	AnonymousBodySize int64
	// MetricsToken, when set, is the bearer token /metrics requires; empty serves
	// /metrics to loopback addresses only.
	MetricsToken string
	// RateLimits, when not nil, limits anonymous requests per client (429 beyond).
	RateLimits *RateLimiter
	// PaymentNotify receives WeChat Pay's notifications at POST /pay/wechatpay/notify
	// (it verifies their signatures itself; no session).
	PaymentNotify http.Handler
}

// Handler builds the HTTP handler: /graphql, /healthz, /readyz, /metrics, WeChat Pay's
// notifications at /pay/wechatpay/notify, and in dev the GraphiQL page at /.
func Handler(r Routes) http.Handler {
	mux := http.NewServeMux()
	gql := graphQLOverHTTP(limitAnonymous(r.RateLimits, withRateHint(r.Loaders(withViewer(r.Authn, r.GraphQL)))))
	mux.Handle("/graphql", limitBody(gql, cmp.Or(r.BodySize, DefaultBodySize), cmp.Or(r.AnonymousBodySize, DefaultAnonymousBodySize)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", readyz(r.Ready))
	mux.Handle("GET /metrics", metricsGuard(r.MetricsToken, promhttp.HandlerFor(r.Metrics.Registry, promhttp.HandlerOpts{})))
	if r.Objects != nil {
		mux.Handle("/objects/", http.StripPrefix("/objects/", r.Objects))
	}
	if r.PaymentNotify != nil {
		mux.Handle("POST /pay/wechatpay/notify", http.MaxBytesHandler(r.PaymentNotify, 64<<10))
	}
	if r.Dev {
		mux.HandleFunc("GET /{$}", graphiqlPage)
		mux.HandleFunc("GET /graphiql/{name}", graphiqlAsset)
	}
	return withRequestID(withAccessLog(r.Logger, mux))
}

func readyz(ready func(ctx context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain")
		if err := ready(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("not ready: " + err.Error() + "\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	}
}
