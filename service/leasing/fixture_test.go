package leasing_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// fixture is the leasing service over a fresh database with one mall (and another
// mall of the same group), two merchants of the mall, and staff.
type fixture struct {
	t           *testing.T
	db          *storage.DB
	svc         *leasing.Service
	objects     storage.Objects
	clock       *clock
	group       uuid.UUID
	mall, other uuid.UUID
	merchantA   uuid.UUID
	merchantB   uuid.UUID
	notices     *notices.Service
	leasing     context.Context // LEASING of the mall
	finance     context.Context // FINANCE of the mall
	admin       context.Context // ADMIN of the mall
}

func setup(t *testing.T) *fixture {
	t.Helper()
	db := storetest.DB(t)
	orgs := orgtest.Service(db)
	group, mall := orgtest.Mall(t, db, "M1")
	sys := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: group}}})
	other, err := orgs.CreateMall(sys, org.CreateMallInput{GroupID: group, Code: "M2", Name: "Other", TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://objects.test", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 4, 15, 10, 0, 0, 0, sh)}
	ntc := notices.New(notices.Deps{DB: db, Org: orgs, Now: c.now})
	f := &fixture{t: t, db: db, objects: objs, clock: c, group: group, mall: mall, other: other.ID, notices: ntc,
		svc: leasing.New(leasing.Deps{DB: db, Org: orgs, Objects: objs, Notices: ntc, Now: c.now})}
	for i, code := range []string{"TENANTA", "TENANTB"} {
		m, err := orgs.CreateMerchant(sys, org.CreateMerchantInput{MallID: mall, Code: code, Name: code, Category: "food"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.merchantA = m.ID
		} else {
			f.merchantB = m.ID
		}
	}
	f.leasing, f.finance, f.admin = f.staff(auth.RoleLeasing, mall), f.staff(auth.RoleFinance, mall), f.staff(auth.RoleAdmin, mall)
	return f
}

// staff is a new staff member holding role over mall.
func (f *fixture) staff(role auth.Role, mall uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: role, Level: auth.LevelMall, ScopeID: mall}}})
}

// tenant is a new account holding role over merchant.
func (f *fixture) tenant(role auth.Role, merchant uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: role, Level: auth.LevelMerchant, ScopeID: merchant}}})
}

func (f *fixture) unit(code string) leasing.Unit {
	f.t.Helper()
	u, err := f.svc.CreateUnit(f.leasing, leasing.UnitInput{MallID: f.mall, Code: code, Kind: leasing.KindShop,
		Floor: "L1", Zone: "A", GrossArea: decimal.NewFromInt(120), LettableArea: decimal.NewFromInt(100)})
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

var orgMerchant = org.CreateMerchantInput{Code: "NEWTEA", Name: "New Tea", Category: "food"}

// terms is a year from start at rent per month, billed monthly in advance on the 5th.
func terms(start schedule.Date, rent int64) schedule.Terms {
	return schedule.Terms{Start: start, End: start.AddYears(1).AddDays(-1),
		Rent:    schedule.Rent{Basis: schedule.RentFixedMonthly, Amount: decimal.NewFromInt(rent)},
		Deposit: decimal.NewFromInt(3 * rent),
		Billing: schedule.Billing{Frequency: schedule.Monthly, Timing: schedule.InAdvance, DueDay: 5}}
}

// draft creates a draft contract of merchant A on units.
func (f *fixture) draft(t schedule.Terms, units ...uuid.UUID) leasing.Contract {
	f.t.Helper()
	c, err := f.svc.CreateContract(f.leasing, leasing.ContractInput{MallID: f.mall, MerchantID: f.merchantA,
		UnitIDs: units, Terms: t})
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// approved creates, submits and approves (FINANCE) a contract.
func (f *fixture) approved(t schedule.Terms, units ...uuid.UUID) leasing.Contract {
	f.t.Helper()
	c := f.draft(t, units...)
	if _, err := f.svc.Submit(f.leasing, c.ID); err != nil {
		f.t.Fatal(err)
	}
	c, d, err := f.svc.Approve(f.finance, c.ID, "ok")
	if err != nil || d != leasing.DecisionApproved {
		f.t.Fatalf("approve: %s, %v", d, err)
	}
	return c
}

// signed also uploads and records the signed PDF.
func (f *fixture) signed(t schedule.Terms, units ...uuid.UUID) leasing.Contract {
	f.t.Helper()
	c := f.approved(t, units...)
	up, err := f.svc.RequestSignedUpload(f.leasing, c.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.objects.Put(context.Background(), up.Key, bytes.NewReader([]byte("%PDF-1.4")), 8, "application/pdf"); err != nil {
		f.t.Fatal(err)
	}
	if c, err = f.svc.Sign(f.leasing, c.ID, up.Key); err != nil {
		f.t.Fatal(err)
	}
	return c
}
