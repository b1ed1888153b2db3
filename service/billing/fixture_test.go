package billing_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/sales"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

// jobs records the jobs a service inserts (tests run them by calling Execute).
type jobs struct {
	mu   sync.Mutex
	runs []uuid.UUID
}

func (j *jobs) InsertTx(_ context.Context, _ pgx.Tx, args river.JobArgs, _ *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.runs = append(j.runs, args.(billing.RunArgs).RunID)
	return &rivertype.JobInsertResult{}, nil
}

// fixture is billing over a fresh database: a mall with two tenants (merchants A and B),
// the mall's staff, another mall's finance, tenants and a shopper.
type fixture struct {
	base     servicetest.Base
	org      ledgertest.Org
	svc      *billing.Service
	lease    *leasing.Service
	sales    *sales.Service
	jobs     *jobs
	a, b     uuid.UUID
	leasing  context.Context // LEASING of the mall
	finance  context.Context // FINANCE of the mall
	approver context.Context // another FINANCE of the mall (approves contracts)
	admin    context.Context // ADMIN of the group
	far      context.Context // FINANCE of another mall
	tenantA  context.Context // TENANT_ADMIN of A
	staffA   context.Context // MERCHANT_STAFF of A
	tenantB  context.Context // TENANT_ADMIN of B
	shopper  context.Context
	units    atomic.Int64 // units created (their codes)
	pay      payBundle    // WeChat Pay's fake behind the payments context (payments_fixture_test.go)
	deps     billing.Deps // what svc was built from
}

func staffCtx(role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
}

func setup(t testing.TB, now time.Time) *fixture {
	t.Helper()
	base := servicetest.New(t, now)
	o := ledgertest.NewOrg(t, base.DB)
	cps := coupons.New(coupons.Deps{DB: base.DB, Redis: base.Redis, Org: base.Org, Codes: base.Codes, Now: base.Clock.Now})
	lty := loyalty.New(loyalty.Deps{DB: base.DB, Ledger: base.Ledger, Redis: base.Redis, Org: base.Org, Coupons: cps,
		Zones: base.Org.Zones(), Now: base.Clock.Now})
	ntc := notices.New(notices.Deps{DB: base.DB, Org: base.Org, Now: base.Clock.Now})
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1:8080", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	lease := leasing.New(leasing.Deps{DB: base.DB, Org: base.Org, Objects: objs, Notices: ntc, Now: base.Clock.Now})
	sls := sales.New(sales.Deps{DB: base.DB, Org: base.Org, Loyalty: lty, Notices: ntc, Leases: lease, Objects: objs,
		Now: base.Clock.Now})
	f := &fixture{base: base, org: o, lease: lease, sales: sls, jobs: &jobs{}, a: o.MerchantID, b: o.OtherMerch,
		leasing:  staffCtx(auth.RoleLeasing, auth.LevelMall, o.MallID),
		finance:  staffCtx(auth.RoleFinance, auth.LevelMall, o.MallID),
		approver: staffCtx(auth.RoleFinance, auth.LevelMall, o.MallID),
		admin:    staffCtx(auth.RoleAdmin, auth.LevelGroup, o.GroupID),
		tenantA:  staffCtx(auth.RoleTenantAdmin, auth.LevelMerchant, o.MerchantID),
		staffA:   staffCtx(auth.RoleMerchantStaff, auth.LevelMerchant, o.MerchantID),
		tenantB:  staffCtx(auth.RoleTenantAdmin, auth.LevelMerchant, o.OtherMerch),
		shopper:  auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()})}
	f.pay = newPayBundle(t, base, lty, objs)
	f.deps = billing.Deps{DB: base.DB, Org: base.Org, Leasing: lease, Sales: sls, Ledger: base.Ledger,
		Energy: billing.Metered{Leasing: lease, Org: base.Org}, Payments: f.pay.svc, Objects: objs, Fapiao: f.pay.fapiao, Now: base.Clock.Now}
	f.svc = billing.New(f.deps)
	f.pay.svc.Register(billing.PurposeBill, billing.BillSettler{Billing: f.svc})
	f.svc.SetJobs(f.jobs)
	other, err := base.Org.CreateMall(f.admin, org.CreateMallInput{GroupID: o.GroupID, Code: "far" + service.NewID().String()[30:],
		Name: "Far", TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	f.far = staffCtx(auth.RoleFinance, auth.LevelMall, other.ID)
	return f
}

// terms is a lease from start for months at rent a month (tax-inclusive), a management
// fee of 10 a m² on 100 m², a deposit of two months, billed monthly in advance on the 5th.
func terms(start schedule.Date, months int, rent int64) schedule.Terms {
	return schedule.Terms{Start: start, End: schedule.D(start.Year(), start.Month()+time.Month(months), start.Day()).AddDays(-1),
		Rent:          schedule.Rent{Basis: schedule.RentFixedMonthly, Amount: decimal.NewFromInt(rent)},
		ManagementFee: decimal.NewFromInt(10), Deposit: decimal.NewFromInt(2 * rent),
		Billing: schedule.Billing{Frequency: schedule.Monthly, Timing: schedule.InAdvance, DueDay: 5}}
}

// contract creates, submits and approves a contract of merchant on a new unit.
func (f *fixture) contract(t testing.TB, merchant uuid.UUID, tm schedule.Terms) leasing.Contract {
	t.Helper()
	u, err := f.lease.CreateUnit(f.leasing, leasing.UnitInput{MallID: f.org.MallID, Code: fmt.Sprintf("U%05d", f.units.Add(1)),
		Kind: leasing.KindShop, Floor: "L1", GrossArea: decimal.NewFromInt(120), LettableArea: decimal.NewFromInt(100)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.lease.CreateContract(f.leasing, leasing.ContractInput{MallID: f.org.MallID, MerchantID: merchant,
		UnitIDs: []uuid.UUID{u.ID}, Terms: tm})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.lease.Submit(f.leasing, c.ID); err != nil {
		t.Fatal(err)
	}
	if c, _, err = f.lease.Approve(f.approver, c.ID, "ok"); err != nil {
		t.Fatal(err)
	}
	return c
}

// run starts and executes a period's run to its end.
func (f *fixture) run(t testing.TB, period string) billing.Run {
	t.Helper()
	r, err := f.svc.StartRun(f.finance, f.org.MallID, period)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Execute(context.Background(), r.ID); err != nil {
		t.Fatal(err)
	}
	if r, err = f.svc.Run(f.finance, r.ID); err != nil || r.Status != billing.RunDone {
		t.Fatalf("run %+v, %v", r, err)
	}
	return r
}

// bills lists the run's bills (finance).
func (f *fixture) bills(t testing.TB, run uuid.UUID) []billing.Bill {
	t.Helper()
	res, err := f.svc.Bills(f.finance, f.org.MallID, billing.BillFilter{RunID: run}, pageAll)
	if err != nil {
		t.Fatal(err)
	}
	return res.Items
}

// verify fails the test on any ledger or billing breach.
func (f *fixture) verify(t testing.TB) {
	t.Helper()
	breaches, err := f.base.Ledger.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	more, err := f.svc.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range append(breaches, more...) {
		t.Error(b)
	}
}
