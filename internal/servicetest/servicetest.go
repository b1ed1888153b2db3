// Package servicetest gives tests every context's service over their own database
// (storetest), wired by app.New exactly as in production, and serves them to tests over
// GraphQL. Nothing here is a mock, and it holds no SQL: fixtures go through the
// services (or the owners' test factories).
package servicetest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/app"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/config"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
	"github.com/atrium-mall/atrium/workers"
)

// The WeChat app of the tests' configuration (a wechattest.Fake answers for it).
const (
	WeChatAppID  = "wx-test-app"
	WeChatSecret = "wx-test-secret"
)

// Set is every context's service over one test database, with the app that wired
// them, the connections they share and a ledger (which resolvers.Services does not
// carry).
type Set struct {
	resolvers.Services
	App     *app.App
	DB      *storage.DB   // the test's database (storetest.DB)
	Redis   storage.Redis // the app's client, on the test's own key prefix
	Objects storage.Objects
	Ledger  *ledger.Service
	t       testing.TB
	now     func() time.Time
}

// Option changes one of the set's defaults.
type Option func(*options)

type options struct {
	now      func() time.Time
	random   func() float64
	objects  storage.Objects
	settings map[string]string
	tracer   pgx.QueryTracer
}

// DBTracer traces every statement of the app's database pool through t.
func DBTracer(t pgx.QueryTracer) Option { return func(o *options) { o.tracer = t } }

// Clock makes now the clock of every service (default time.Now).
func Clock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// Random makes r the lottery draw of the set's campaigns context, rebuilt with it
// (default: the app's, drawing with campaigns.CryptoRandom; Set.App keeps that one).
func Random(r func() float64) Option { return func(o *options) { o.random = r } }

// Objects stores member files and arrival snapshots in objs (default: local objects in
// a temporary folder; storetest.S3 for MinIO).
func Objects(objs storage.Objects) Option { return func(o *options) { o.objects = objs } }

// Setting sets the configuration variable name (ATRIUM_…) to value (see Config).
func Setting(name, value string) Option {
	return func(o *options) { o.settings[name] = value }
}

// FakeWeChat serves a WeChat fake for the tests' app until the test ends, and the
// option that points the set's WeChat client at it.
func FakeWeChat(t testing.TB) (*wechattest.Fake, Option) {
	fake := wechattest.New(WeChatAppID, WeChatSecret)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, Setting("ATRIUM_WECHAT_API_BASE", srv.URL)
}

// New wires every context over db with app.New; the set's Redis keys are the test's
// own, and bcrypt runs at its lowest cost.
func New(t testing.TB, db *storage.DB, opts ...Option) *Set {
	t.Helper()
	o := options{now: time.Now, settings: map[string]string{}}
	for _, opt := range opts {
		opt(&o)
	}
	rdb := storetest.Redis(t)
	a, err := app.New(context.Background(), Config(t, storetest.URL(db), o.settings), slog.New(slog.DiscardHandler),
		app.Options{Now: o.now, RedisPrefix: rdb.Prefix, Objects: o.objects, PasswordCost: bcrypt.MinCost,
			DBTracer: o.tracer})
	if err != nil {
		t.Fatalf("servicetest: app: %v", err)
	}
	t.Cleanup(a.Close)
	s := &Set{Services: a.Services, App: a, DB: db, Redis: a.Redis, Objects: a.Objects, t: t, now: o.now,
		Ledger: ledger.New(ledger.Deps{DB: a.DB, Now: o.now})}
	if o.random != nil {
		s.Campaigns = campaigns.New(campaigns.Deps{DB: a.DB, Org: s.Org, Coupons: s.Coupons, Ledger: s.Ledger, Stock: s.Warehouse,
			Now: o.now, Random: o.random})
	}
	return s
}

// Config is a development configuration for a test: the database at dbURL, the test
// Redis, a temporary data folder, a fixed JWT key, the WeChat app WeChatAppID at an
// address no test reaches, UTC as the business time zone, and settings over those.
func Config(t testing.TB, dbURL string, settings map[string]string) config.Config {
	t.Helper()
	vars := map[string]string{
		"ATRIUM_ENV":             "dev",
		"ATRIUM_DATABASE_URL":    dbURL,
		"ATRIUM_REDIS_URL":       storetest.RedisURL(),
		"ATRIUM_DATA_DIR":        t.TempDir(),
		"ATRIUM_JWT_KEY":         strings.Repeat("k", 40),
		"ATRIUM_WECHAT_APPID":    WeChatAppID,
		"ATRIUM_WECHAT_SECRET":   WeChatSecret,
		"ATRIUM_WECHAT_API_BASE": "http://127.0.0.1:1",
		"ATRIUM_TIMEZONE":        "UTC",
	}
	for k, v := range settings {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("servicetest: config: %v", err)
	}
	return cfg
}

// GraphQL is the schema over the set's services, as served in production but with the
// tests' limits (complexity 1000, depth 12) and a silent log; wsInit, when not nil,
// authenticates websocket connections.
func (s *Set) GraphQL(wsInit func(context.Context, transport.InitPayload) (context.Context, error)) http.Handler {
	return server.NewGraphQL(resolvers.Config(s.Services), server.GraphQLOptions{Complexity: 1000, Depth: 12,
		Logger: slog.New(slog.DiscardHandler), WSInit: wsInit})
}

// ActiveTemplate creates a coupon template as ctx's viewer and activates it.
func (s *Set) ActiveTemplate(ctx context.Context, in coupons.TemplateInput) coupons.Template {
	s.t.Helper()
	tpl, err := s.Coupons.CreateTemplate(ctx, in)
	if err == nil {
		tpl, err = s.Coupons.SetStatus(ctx, tpl.ID, "active")
	}
	if err != nil {
		s.t.Fatalf("servicetest: coupon template %q: %v", in.Name, err)
	}
	return tpl
}

// EarnPoints gives card points, available now and expiring in a year, as an issuance
// by the system through the ledger.
func (s *Set) EarnPoints(card uuid.UUID, points int64) {
	s.t.Helper()
	ctx := context.Background()
	err := s.DB.InTx(ctx, func(tx pgx.Tx) error {
		group, err := s.Ledger.LockCardsTx(ctx, tx, card)
		if err != nil {
			return err
		}
		now := s.now()
		_, err = s.Ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: group, CardID: card, Points: decimal.NewFromInt(points),
			From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: now.Add(-time.Minute),
			ExpiresAt: now.AddDate(1, 0, 0), Kind: "earn", Key: "earn:" + card.String()})
		return err
	})
	if err != nil {
		s.t.Fatalf("servicetest: points for card %s: %v", card, err)
	}
}

// Jobs is a River client (not started) over d.DB running only the jobs of the
// services d names; when d.Coupons is set, its segment issue runs are queued on it, as
// app.New does. d.Now defaults to time.Now.
func Jobs(t testing.TB, d workers.Deps, maxWorkers int) *workers.Client {
	t.Helper()
	if d.Now == nil {
		d.Now = time.Now
	}
	c, err := workers.New(d, slog.New(slog.DiscardHandler), maxWorkers)
	if err != nil {
		t.Fatalf("servicetest: workers: %v", err)
	}
	if d.Coupons != nil {
		d.Coupons.SetJobs(c)
	}
	return c
}

// WaitFor polls ready every interval until it reports true, for at most timeout, and
// says whether it did; the caller fails the test with what it was waiting for.
func WaitFor(timeout, interval time.Duration, ready func() bool) bool {
	for deadline := time.Now().Add(timeout); !ready(); time.Sleep(interval) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// PerSecond runs fn(0) … fn(n-1) one after another and returns calls per second: what
// benchmarks report against a baseline measured the same way.
func PerSecond(n int, fn func(i int)) float64 {
	start := time.Now()
	for i := range n {
		fn(i)
	}
	return float64(n) / time.Since(start).Seconds()
}
