package assets_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/assets"
	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/storage"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

// fixture is the assets context over a fresh database: a mall (Asia/Shanghai) with a
// category, its staff, and the work-orders context behind the maintenance hook.
type fixture struct {
	base     servicetest.Base
	org      ledgertest.Org
	svc      *assets.Service
	wo       *workorders.Service
	category uuid.UUID
	finance  context.Context // FINANCE of the mall
	finance2 context.Context // another FINANCE of the mall
	tech     context.Context // MAINTENANCE of the mall
	admin    context.Context // ADMIN of the group
}

func staffCtx(role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
}

func setup(t testing.TB, now time.Time) *fixture {
	t.Helper()
	base := servicetest.New(t, now)
	o := ledgertest.NewOrg(t, base.DB)
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1:8080", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	ntc := notices.New(notices.Deps{DB: base.DB, Org: base.Org, Now: base.Clock.Now})
	lease := leasing.New(leasing.Deps{DB: base.DB, Org: base.Org, Objects: objs, Notices: ntc, Now: base.Clock.Now})
	ros := rosters.New(rosters.Deps{DB: base.DB, Org: base.Org, Now: base.Clock.Now})
	f := &fixture{base: base, org: o,
		svc: assets.New(assets.Deps{DB: base.DB, Org: base.Org, Ledger: base.Ledger, Leasing: lease, Objects: objs,
			Now: base.Clock.Now}),
		wo: workorders.New(workorders.Deps{DB: base.DB, Org: base.Org, Notices: ntc, Units: lease, Rosters: ros,
			Redis: &base.Redis, Now: base.Clock.Now}),
		finance:  staffCtx(auth.RoleFinance, auth.LevelMall, o.MallID),
		finance2: staffCtx(auth.RoleFinance, auth.LevelMall, o.MallID),
		tech:     staffCtx(auth.RoleMaintenance, auth.LevelMall, o.MallID),
		admin:    staffCtx(auth.RoleAdmin, auth.LevelGroup, o.GroupID)}
	f.wo.SetJobs(noJobs{})
	f.svc.SetMaintenanceHook(workorders.Hooks{S: f.wo})
	c, err := f.svc.SaveCategory(f.finance, o.MallID, "EQUIP", "设备 Equipment")
	if err != nil {
		t.Fatal(err)
	}
	f.category = c.ID
	return f
}

// at is a local time of the mall.
func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, sh) }

// register adds an asset at a zone.
func (f *fixture) register(t testing.TB, zone string, rule dep.Asset) assets.Asset {
	t.Helper()
	a, err := f.svc.Register(f.finance, assets.Input{MallID: f.org.MallID, Name: "Chiller " + zone, CategoryID: f.category,
		Location: assets.Location{Kind: assets.AtZone, Ref: zone}, Supplier: "Carrier", AcquiredOn: rule.InService,
		Rule: rule})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// verify fails the test on any ledger or assets breach.
func (f *fixture) verify(t testing.TB) {
	t.Helper()
	breaches, err := f.base.Ledger.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	more, err := assets.Verify(context.Background(), f.base.DB)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range append(breaches, more...) {
		t.Error(b)
	}
}

func straight(cost int64, months int, from time.Time) dep.Asset {
	return dep.Asset{Cost: cost, LifeMonths: months, Method: dep.StraightLine, InService: from}
}

// noJobs takes the work orders' SLA checks and drops them (these tests look at orders
// opened, not at their clocks).
type noJobs struct{}

func (noJobs) InsertTx(context.Context, pgx.Tx, river.JobArgs, *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return &rivertype.JobInsertResult{}, nil
}
