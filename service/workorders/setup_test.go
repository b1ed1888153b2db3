package workorders_test

import (
	"context"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/notices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

// clock is a settable clock safe for concurrent reads.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// fix is one test's world: a mall of its own, the service with an insert-only River
// client, and people.
type fix struct {
	t            *testing.T
	db           *storage.DB
	redis        *storage.Redis
	orgs         *org.Service
	svc          *workorders.Service
	clock        *clock
	group, mall  uuid.UUID
	merchant     uuid.UUID
	admin, desk  context.Context
	supervisor   context.Context
	tech1, tech2 context.Context
	techID1      uuid.UUID
	techID2      uuid.UUID
	tenant       context.Context // TENANT_ADMIN of merchant
	shopper      context.Context
	shopperID    uuid.UUID
}

// a Wednesday 10:00 in Shanghai (2026-06-03), inside business hours.
var wednesday = time.Date(2026, 6, 3, 10, 0, 0, 0, sh)

func setup(t *testing.T) *fix {
	t.Helper()
	db := storetest.DB(t)
	rd := storetest.Redis(t)
	f := &fix{t: t, db: db, orgs: orgtest.Service(db), clock: &clock{t: wednesday}, redis: &rd}
	f.group, f.mall = orgtest.Mall(t, db, "M1")
	f.svc = f.newService()
	sys := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: f.group}))
	m, err := f.orgs.CreateMerchant(sys, org.CreateMerchantInput{MallID: f.mall, Code: "S01", Name: "Shop", Category: "food", Kind: "tenant"})
	if err != nil {
		t.Fatal(err)
	}
	f.merchant = m.ID
	f.admin = f.staff(sys, "admin", auth.RoleAdmin, auth.LevelMall, f.mall)
	f.desk = f.staff(sys, "desk", auth.RoleServiceDesk, auth.LevelMall, f.mall)
	f.supervisor = f.staff(sys, "supervisor", auth.RoleSupervisor, auth.LevelMall, f.mall)
	f.tech1 = f.staff(sys, "tech1", auth.RoleMaintenance, auth.LevelMall, f.mall)
	f.tech2 = f.staff(sys, "tech2", auth.RoleMaintenance, auth.LevelMall, f.mall)
	f.techID1, f.techID2 = auth.ViewerFrom(f.tech1).ID, auth.ViewerFrom(f.tech2).ID
	f.tenant = f.staff(sys, "tenant", auth.RoleTenantAdmin, auth.LevelMerchant, f.merchant)
	f.shopperID = uuid.New()
	f.shopper = auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: f.shopperID})
	return f
}

// notices is the notices service over the test's database.
func (f *fix) notices() *notices.Service {
	return notices.New(notices.Deps{DB: f.db, Org: f.orgs, Now: f.clock.Now})
}

// objects is a local object store of the test's own.
func (f *fix) objects() *storage.LocalObjects {
	objs, err := storage.NewLocalObjects(f.t.TempDir(), "http://objects.test", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		f.t.Fatal(err)
	}
	return objs
}

// leasing is the leasing service over the test's database (units and their holders).
func (f *fix) leasing() *leasing.Service {
	return leasing.New(leasing.Deps{DB: f.db, Org: f.orgs, Objects: f.objects(), Notices: f.notices(), Now: f.clock.Now})
}

// rosters is the rosters service over the test's database.
func (f *fix) rosters() *rosters.Service {
	return rosters.New(rosters.Deps{DB: f.db, Org: f.orgs, Now: f.clock.Now})
}

// newService is another instance of the service over the same database (a second app).
func (f *fix) newService() *workorders.Service {
	svc := workorders.New(workorders.Deps{DB: f.db, Org: f.orgs, Notices: f.notices(), Units: f.leasing(),
		Rosters: f.rosters(), Redis: f.redis, Now: f.clock.Now})
	jobs, err := river.NewClient(riverpgxv5.New(f.db.Pool), &river.Config{})
	if err != nil {
		f.t.Fatal(err)
	}
	svc.SetJobs(jobs)
	return svc
}

func (f *fix) staff(sys context.Context, name string, role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	f.t.Helper()
	g := auth.Grant{Role: role, Level: level, ScopeID: scope}
	st, err := f.orgs.CreateStaff(sys, org.CreateStaffInput{Username: storetest.RandomName(name), Password: "secret-Pass-1",
		Grants: []auth.Grant{g}})
	if err != nil {
		f.t.Fatalf("staff %s: %v", name, err)
	}
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: st.ID, Grants: []auth.Grant{g}})
}

// raise opens an order as the tenant.
func (f *fix) raise(in workorders.RaiseInput) workorders.Order {
	f.t.Helper()
	if in.MallID == uuid.Nil {
		in.MallID = f.mall
	}
	if in.Category == "" {
		in.Category = "plumbing"
	}
	if in.Description == "" {
		in.Description = "leaking tap"
	}
	if in.MerchantID == nil {
		in.MerchantID = &f.merchant
	}
	o, err := f.svc.Raise(f.tenant, in)
	if err != nil {
		f.t.Fatalf("raise: %v", err)
	}
	return o
}

// jobsOf lists the scheduled SLA checks of an order (Unix seconds).
func (f *fix) jobsOf(id uuid.UUID) []int64 {
	f.t.Helper()
	rows, err := f.db.Pool.Query(context.Background(),
		`SELECT (args->>'at')::bigint FROM river_job WHERE kind = 'workorders_sla_check' AND args->>'order_id' = $1 ORDER BY 1`, id.String())
	if err != nil {
		f.t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}
