// Package servicetest builds every context's service for a test's own database
// (storetest), with the constructors and dependencies app.App wires in production, and
// serves them to tests over GraphQL. Nothing here is a mock, and it holds no SQL:
// fixtures go through the services (or the owners' test factories).
package servicetest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/identity"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
	"github.com/atrium-mall/atrium/workers"
)

// Set is every context's service over one test database, with the connections they
// share and the ledger (which resolvers.Services does not carry).
type Set struct {
	resolvers.Services
	DB      *storage.DB
	Redis   storage.Redis // the test's own key prefix (storetest.Redis)
	Objects storage.Objects
	Ledger  *ledger.Service
	t       testing.TB
}

// Option changes one of the set's defaults.
type Option func(*options)

type options struct {
	now     func() time.Time
	random  func() float64
	objects storage.Objects
	wechat  *auth.WeChat
}

// Clock makes now the clock of every service (default time.Now).
func Clock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// Random makes r the campaigns' lottery draw (default campaigns.CryptoRandom).
func Random(r func() float64) Option { return func(o *options) { o.random = r } }

// Objects stores member files and arrival snapshots in objs (default: local objects in
// a temporary folder; storetest.S3 for MinIO).
func Objects(objs storage.Objects) Option { return func(o *options) { o.objects = objs } }

// WeChat is the WeChat API client of members and identity (default: one that no
// test reaches; a wechattest.Fake's server for tests of WeChat logins and phones).
func WeChat(w *auth.WeChat) Option { return func(o *options) { o.wechat = w } }

// New builds every context over db, each by its one constructor with all of its
// dependencies, as app.App does; the set's Redis is the test's own.
func New(t testing.TB, db *storage.DB, opts ...Option) *Set {
	t.Helper()
	o := options{now: time.Now, random: campaigns.CryptoRandom}
	for _, opt := range opts {
		opt(&o)
	}
	if o.objects == nil {
		o.objects = localObjects(t)
	}
	if o.wechat == nil {
		o.wechat = auth.NewWeChat("http://127.0.0.1:1", "servicetest", "servicetest", &http.Client{Timeout: time.Second})
	}
	s := &Set{t: t, DB: db, Redis: storetest.Redis(t), Objects: o.objects}
	s.Ledger = ledger.New(ledger.Deps{DB: db, Now: o.now})
	s.wire(o)
	return s
}

// wire builds the contexts in the order of their dependencies.
func (s *Set) wire(o options) {
	passwords := auth.NewPasswords(bcrypt.MinCost)
	s.Org = org.New(org.Deps{DB: s.DB, Passwords: passwords, Zones: calendar.NewZones(nil)})
	s.Redemption = redemption.New(redemption.Deps{DB: s.DB, Redis: s.Redis, Org: s.Org, Now: o.now})
	s.Coupons = coupons.New(coupons.Deps{DB: s.DB, Redis: s.Redis, Org: s.Org, Codes: s.Redemption, Now: o.now})
	s.Bookings = bookings.New(bookings.Deps{DB: s.DB, Org: s.Org, Codes: s.Redemption, Ledger: s.Ledger, Now: o.now})
	s.Devices = devices.New(devices.Deps{DB: s.DB, Org: s.Org, Passwords: passwords, Now: o.now})
	s.Members = members.New(members.Deps{DB: s.DB, Objects: s.Objects, WeChat: o.wechat, Org: s.Org,
		Ledger: s.Ledger, Now: o.now, Config: members.Config{CodeKey: members.DeriveCodeKey([]byte("servicetest"))}})
	s.Identity = identity.New(identity.Deps{Org: s.Org, Members: s.Members, WeChat: o.wechat,
		Tokens:   auth.NewTokens([]byte(strings.Repeat("k", 40)), 15*time.Minute, o.now),
		Sessions: auth.NewSessions(s.Redis, 24*time.Hour), Lockout: auth.NewLockout(s.Redis, 5, 15*time.Minute)})
	s.Loyalty = loyalty.New(loyalty.Deps{DB: s.DB, Ledger: s.Ledger, Redis: s.Redis, Org: s.Org,
		Coupons: s.Coupons, Zones: s.Org.Zones(), Now: o.now})
	s.Campaigns = campaigns.New(campaigns.Deps{DB: s.DB, Org: s.Org, Coupons: s.Coupons, Ledger: s.Ledger,
		Now: o.now, Random: o.random})
	s.Meters = meters.New(meters.Deps{DB: s.DB, Devices: s.Devices, Now: o.now})
	s.Patrol = patrol.New(patrol.Deps{DB: s.DB, Org: s.Org, Now: o.now})
	s.Arrivals = arrivals.New(arrivals.Deps{DB: s.DB, Objects: s.Objects, Redis: &s.Redis, Ledger: s.Ledger,
		Bookings: s.Bookings, Org: s.Org, Config: arrivals.DefaultConfig()})
}

// localObjects is object storage in a temporary folder of the test.
func localObjects(t testing.TB) storage.Objects {
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1/objects", []byte("servicetest-object-signing-key!!"))
	if err != nil {
		t.Fatalf("servicetest: objects: %v", err)
	}
	return objs
}

// Jobs is a River client (not started) over d.DB running the jobs of the services
// d names; when d.Coupons is set, its segment issue runs are queued on it, as
// app.New does. d.Now defaults to time.Now.
func Jobs(t testing.TB, d workers.Deps, maxWorkers int) *workers.Client {
	t.Helper()
	if d.Now == nil {
		d.Now = time.Now
	}
	c, err := workers.New(d, slog.New(slog.NewTextHandler(io.Discard, nil)), maxWorkers)
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
