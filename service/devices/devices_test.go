package devices_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

type fixture struct {
	db    *storage.DB
	svc   *devices.Service
	mall  uuid.UUID
	admin context.Context
	now   time.Time
}

// setup builds the test's fixture; the test runs in parallel.
func setup(t *testing.T) fixture {
	t.Helper()
	t.Parallel()
	db := storetest.DB(t)
	f := fixture{db: db, now: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	_, f.mall = orgtest.Mall(t, db, "M1")
	f.svc = devices.New(devices.Deps{DB: db, Org: orgtest.Service(db), Passwords: auth.NewPasswords(bcrypt.MinCost),
		Now: func() time.Time { return f.now }})
	f.admin = auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: f.mall}}})
	return f
}

func mustExec(t *testing.T, db *storage.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestRegisterAndAuthenticate(t *testing.T) {
	f := setup(t)
	d, pw, err := f.svc.Register(f.admin, devices.NewDevice{ID: "meter-1", MallID: f.mall, Type: devices.Meter,
		MeterKind: "electricity", BindingRef: "L1-023"})
	if err != nil {
		t.Fatal(err)
	}
	if d.BindingKind != "unit" || d.MallCode != "M1" || !d.Enabled || pw == "" {
		t.Fatalf("device = %+v", d)
	}
	ctx := context.Background()
	if _, err := f.svc.Authenticate(ctx, "meter-1", pw); err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, "meter-1", "wrong"); !errors.Is(err, devices.ErrBadCredential) {
		t.Fatalf("wrong password: %v", err)
	}
	newPW, err := f.svc.RotatePassword(f.admin, "meter-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, "meter-1", pw); !errors.Is(err, devices.ErrBadCredential) {
		t.Fatalf("old password still valid: %v", err)
	}
	pw = newPW
	if _, err := f.svc.Authenticate(ctx, "meter-1", pw); err != nil {
		t.Fatalf("rotated password: %v", err)
	}
	if _, err := f.svc.SetEnabled(f.admin, "meter-1", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, "meter-1", pw); !errors.Is(err, devices.ErrBadCredential) {
		t.Fatalf("disabled device authenticated: %v", err)
	}
	_, _, err = f.svc.Register(f.admin, devices.NewDevice{ID: "meter-1", MallID: f.mall, Type: devices.Meter, MeterKind: "gas"})
	if !errors.Is(err, devices.ErrDeviceExists) {
		t.Fatalf("duplicate id: %v", err)
	}
}

func TestRegisterValidationAndScope(t *testing.T) {
	f := setup(t)
	bad := []devices.NewDevice{
		{ID: "a b", MallID: f.mall, Type: devices.Patrol},
		{ID: "x", MallID: f.mall, Type: "toaster"},
		{ID: "x", MallID: f.mall, Type: devices.Meter},
		{ID: "x", MallID: f.mall, Type: devices.Patrol, BindingKind: "unit"},
		{ID: "x", MallID: f.mall, Type: devices.CardReader, BindingKind: "resource", BindingRef: "lounge"},
		{ID: "x", MallID: f.mall, Type: devices.Meter, MeterKind: "water", BindingKind: "resource", BindingRef: uuid.NewString()},
	}
	for _, n := range bad {
		if _, _, err := f.svc.Register(f.admin, n); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%+v: %v", n, err)
		}
	}
	other := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: uuid.New()}}})
	if _, _, err := f.svc.Register(other, devices.NewDevice{ID: "p1", MallID: f.mall, Type: devices.Patrol}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("other mall's admin: %v", err)
	}
	security := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleSecurity, Level: auth.LevelMall, ScopeID: f.mall}}})
	if _, _, err := f.svc.Register(security, devices.NewDevice{ID: "p1", MallID: f.mall, Type: devices.Patrol}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("security registered a device: %v", err)
	}
	if _, _, err := f.svc.Register(f.admin, devices.NewDevice{ID: "p1", MallID: f.mall, Type: devices.Patrol, BindingRef: "CP-1"}); err != nil {
		t.Fatal(err)
	}
	// A lounge reader binds to a bookable resource (its id).
	lr, _, err := f.svc.Register(f.admin, devices.NewDevice{ID: "lr1", MallID: f.mall, Type: devices.CardReader,
		BindingKind: "resource", BindingRef: uuid.NewString()})
	if err != nil || lr.BindingKind != "resource" {
		t.Fatalf("lounge reader: %+v %v", lr, err)
	}
	list, more, err := f.svc.List(security, f.mall, "", "", 10)
	if err != nil || len(list) != 2 || more {
		t.Fatalf("security list = %v %v %v", list, more, err)
	}
}

// TestClaimOnce: many goroutines claim the same event; exactly one wins.
func TestClaimOnce(t *testing.T) {
	f := setup(t)
	if _, _, err := f.svc.RegisterUnchecked(context.Background(), devices.NewDevice{ID: "cam", MallID: f.mall, Type: devices.FaceCamera}); err != nil {
		t.Fatal(err)
	}
	var won atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := f.db.InTx(context.Background(), func(tx pgx.Tx) error {
				ok, err := devices.Claim(context.Background(), tx, "cam", "e1", "recognition", f.now, f.now)
				if ok {
					won.Add(1)
				}
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Fatalf("%d claims won", won.Load())
	}
}

func TestDeadLetters(t *testing.T) {
	f := setup(t)
	mall := f.mall
	err := devices.RecordDeadLetters(context.Background(), f.db.Pool, []devices.DeadLetter{
		{Topic: "atrium/M1/meter/m/reading", Payload: []byte("junk"), Reason: "malformed", DeviceID: "m", MallID: &mall, ReceivedAt: f.now},
		{Topic: "elsewhere", Payload: []byte{0xff}, Reason: "bad topic", ReceivedAt: f.now},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.DeadLetters(f.admin, f.mall, uuid.Nil, 10)
	if err != nil || len(got) != 1 || string(got[0].Payload) != "junk" || got[0].Reason != "malformed" {
		t.Fatalf("dead letters = %+v, %v", got, err)
	}
}

func TestCheckSilence(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if _, _, err := f.svc.RegisterUnchecked(ctx, devices.NewDevice{ID: "r1", MallID: f.mall, Type: devices.CardReader}); err != nil {
		t.Fatal(err)
	}
	seen := func(at time.Time) {
		t.Helper()
		if err := devices.Touch(ctx, f.db.Pool, []string{"r1"}, at); err != nil {
			t.Fatal(err)
		}
	}
	seen(f.now)
	const silence = 10 * time.Minute
	check := func(at time.Time, wantRaised, wantOpen int) {
		t.Helper()
		raised, err := f.svc.CheckSilence(ctx, at, silence)
		if err != nil {
			t.Fatal(err)
		}
		open, err := f.svc.OpenAlarms(f.admin, f.mall)
		if err != nil {
			t.Fatal(err)
		}
		if len(raised) != wantRaised || len(open) != wantOpen {
			t.Fatalf("at %v: raised %d open %d, want %d %d", at, len(raised), len(open), wantRaised, wantOpen)
		}
	}
	check(f.now.Add(5*time.Minute), 0, 0)
	check(f.now.Add(11*time.Minute), 1, 1)
	check(f.now.Add(20*time.Minute), 0, 1) // once
	d, _ := f.svc.Get(f.admin, "r1")
	if d.Online {
		t.Fatal("silent device still online")
	}
	seen(f.now.Add(21 * time.Minute))
	check(f.now.Add(22*time.Minute), 0, 0) // cleared when back
	check(f.now.Add(40*time.Minute), 1, 1) // a new silence, a new alarm
	err := f.db.InTx(ctx, func(tx pgx.Tx) error { return devices.SetStatus(ctx, tx, "r1", true, f.now.Add(41*time.Minute)) })
	if err != nil {
		t.Fatal(err)
	}
	check(f.now.Add(42*time.Minute), 0, 0) // status online clears it
}
