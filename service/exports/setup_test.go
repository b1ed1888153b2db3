package exports_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/xuri/excelize/v2"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/exports"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/members/memberstest"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

var start = time.Date(2026, 6, 3, 10, 0, 0, 0, sh)

// jobs records the export jobs a service enqueues (tests run them with Execute).
type jobs struct {
	mu  sync.Mutex
	ids []uuid.UUID
}

func (j *jobs) InsertTx(_ context.Context, _ pgx.Tx, args river.JobArgs, _ *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if a, ok := args.(exports.Args); ok {
		j.ids = append(j.ids, a.ExportID)
	}
	return &rivertype.JobInsertResult{}, nil
}

// fixture is exports over a fresh database, MinIO and Redis: a mall of a group with
// real staff accounts (the job reads the creator's grants), the members and work-order
// contexts as sources.
type fixture struct {
	base    servicetest.Base
	org     ledgertest.Org
	objects storage.Objects
	svc     *exports.Service
	members *members.Service
	orders  *workorders.Service
	jobs    *jobs

	admin, desk, ops, desk2 context.Context // ADMIN (group), SERVICE_DESK, MEMBER_OPS, another SERVICE_DESK
	maint, finance          context.Context // MAINTENANCE, FINANCE of the mall
	far                     context.Context // SERVICE_DESK of another mall
	tenant                  context.Context // TENANT_ADMIN of a merchant of the mall
	shopper                 context.Context
	farMall                 uuid.UUID
}

func setup(t testing.TB) *fixture {
	t.Helper()
	return setupOn(t, servicetest.New(t, start))
}

// setupOn builds the fixture on base (a database of the test's own).
func setupOn(t testing.TB, base servicetest.Base) *fixture {
	t.Helper()
	o := ledgertest.NewOrg(t, base.DB)
	f := &fixture{base: base, org: o, objects: storetest.S3(t), jobs: &jobs{}}
	f.members = memberstest.Service(t, base.DB, base.Org)
	ntc := notices.New(notices.Deps{DB: base.DB, Org: base.Org, Now: base.Clock.Now})
	lease := leasing.New(leasing.Deps{DB: base.DB, Org: base.Org, Objects: f.objects, Notices: ntc, Now: base.Clock.Now})
	ros := rosters.New(rosters.Deps{DB: base.DB, Org: base.Org, Now: base.Clock.Now})
	f.orders = workorders.New(workorders.Deps{DB: base.DB, Org: base.Org, Notices: ntc, Units: lease, Rosters: ros,
		Redis: &f.base.Redis, Now: base.Clock.Now})
	f.orders.SetJobs(f.jobs)
	f.svc = exports.New(exports.Deps{DB: base.DB, Redis: base.Redis, Objects: f.objects, Org: base.Org,
		Now: base.Clock.Now}, exports.Config{TempDir: t.TempDir()})
	f.svc.SetJobs(f.jobs)
	f.svc.Register(exports.MembersSource(f.members, base.Org))
	f.svc.Register(exports.WorkOrdersSource(f.orders))
	f.svc.Register(exports.CardPostingsSource(f.members, base.Ledger, base.Org))
	root := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff,
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: o.GroupID}}})
	mall := func(r auth.Role) []auth.Grant {
		return []auth.Grant{{Role: r, Level: auth.LevelMall, ScopeID: o.MallID}}
	}
	f.admin = f.staff(t, root, []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: o.GroupID}})
	f.desk = f.staff(t, root, mall(auth.RoleServiceDesk))
	f.desk2 = f.staff(t, root, mall(auth.RoleServiceDesk))
	f.ops = f.staff(t, root, mall(auth.RoleMemberOps))
	f.maint = f.staff(t, root, mall(auth.RoleMaintenance))
	f.finance = f.staff(t, root, mall(auth.RoleFinance))
	f.tenant = f.staff(t, root, []auth.Grant{{Role: auth.RoleTenantAdmin, Level: auth.LevelMerchant, ScopeID: o.MerchantID}})
	far, err := base.Org.CreateMall(root, org.CreateMallInput{GroupID: o.GroupID, Code: "far" + service.NewID().String()[30:],
		Name: "Far", TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	f.farMall = far.ID
	f.far = f.staff(t, root, []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: far.ID}})
	f.shopper = auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()})
	return f
}

// staff creates a real staff account with grants and returns a context acting as it.
func (f *fixture) staff(t testing.TB, root context.Context, grants []auth.Grant) context.Context {
	t.Helper()
	s, err := f.base.Org.CreateStaff(root, org.CreateStaffInput{Username: "u" + service.NewID().String()[24:],
		DisplayName: "Staff", Password: "atrium-test-password", Grants: grants})
	if err != nil {
		t.Fatal(err)
	}
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: s.ID, Grants: grants})
}

// run runs the export's job (as River would) and returns the export after it.
func (f *fixture) run(t testing.TB, ctx context.Context, id uuid.UUID) exports.Export {
	t.Helper()
	if err := f.svc.Execute(context.Background(), id, true); err != nil {
		t.Fatal(err)
	}
	e, err := f.svc.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// download fetches the export's file through its presigned link and opens it.
func (f *fixture) download(t testing.TB, ctx context.Context, id uuid.UUID) *excelize.File {
	t.Helper()
	url, _, err := f.svc.Link(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET link: %s", resp.Status)
	}
	tmp, err := os.CreateTemp(t.TempDir(), "*.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		t.Fatal(err)
	}
	_ = tmp.Close()
	x, err := excelize.OpenFile(tmp.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x
}

// registerMembers registers n members at the mall's desk.
func (f *fixture) registerMembers(t testing.TB, n int) []members.Member {
	t.Helper()
	out := make([]members.Member, n)
	bday := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	for i := range n {
		m, err := f.members.RegisterAtDesk(f.desk, members.DeskRegistration{MallID: f.org.MallID, Profile: members.Profile{
			Name: fmt.Sprintf("会员%03d", i), Phone: fmt.Sprintf("139%08d", i+int(uuid.New().ID()%1000)*1000),
			Birthday: &bday, Tags: []string{"vip"}}})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = m
	}
	return out
}

// adminOf is a context acting as a real group admin of another org.
func (f *fixture) adminOf(t testing.TB, o ledgertest.Org) context.Context {
	t.Helper()
	root := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff,
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: o.GroupID}}})
	return f.staff(t, root, []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: o.GroupID}})
}
