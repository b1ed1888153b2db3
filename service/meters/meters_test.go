package meters_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

type fixture struct {
	db    *storage.DB
	devs  *devices.Service
	svc   *meters.Service
	mall  uuid.UUID
	admin context.Context
}

// setup builds the test's fixture; the test runs in parallel.
func setup(t *testing.T) fixture {
	t.Helper()
	t.Parallel()
	db := storetest.DB(t)
	f := fixture{db: db}
	_, f.mall = orgtest.Mall(t, db, "M1")
	f.devs = devices.New(devices.Deps{DB: db, Org: orgtest.Service(db), Passwords: auth.NewPasswords(bcrypt.MinCost), Now: time.Now})
	f.svc = meters.New(meters.Deps{DB: db, Devices: f.devs, Now: time.Now})
	f.admin = auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: f.mall}}})
	return f
}

func (f fixture) meter(t *testing.T, id, unit string, max *decimal.Decimal) devices.Device {
	t.Helper()
	d, _, err := f.devs.RegisterUnchecked(context.Background(), devices.NewDevice{ID: id, MallID: f.mall,
		Type: devices.Meter, MeterKind: "electricity", BindingRef: unit, MeterMax: max})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var t0 = time.Date(2026, 7, 31, 22, 0, 0, 0, time.UTC) // readings cross a month (partition) boundary

func at(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func (f fixture) record(t *testing.T, d devices.Device, h int, v string) string {
	t.Helper()
	var flag string
	err := f.db.InTx(context.Background(), func(tx pgx.Tx) error {
		var err error
		flag, err = meters.RecordTx(context.Background(), tx, d, "e"+at(h).Format("150405")+v, at(h), decimal.RequireFromString(v), at(h))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return flag
}

func TestRecordAndConsumption(t *testing.T) {
	f := setup(t)
	max := decimal.NewFromInt(10000)
	d := f.meter(t, "m1", "L1-01", &max)
	// Out of order: hour 2 arrives before hour 1.
	f.record(t, d, 0, "9990")
	f.record(t, d, 2, "9999")
	f.record(t, d, 1, "9995")
	if flag := f.record(t, d, 3, "4"); flag != "" { // rollover: not flagged
		t.Fatalf("rollover flagged %q", flag)
	}
	if flag := f.record(t, d, 4, "2"); flag != meters.FlagBackwards {
		t.Fatalf("backwards reading flag = %q", flag)
	}
	f.record(t, d, 5, "10")
	u, err := f.svc.Consumption(f.admin, "m1", at(0), at(5))
	if err != nil {
		t.Fatal(err)
	}
	if !u.Amount.Equal(decimal.NewFromInt(20)) || u.Partial {
		t.Fatalf("consumption = %+v", u)
	}
	// Replacement at hour 6: the new meter starts from zero.
	if _, err := f.svc.RecordReplacement(f.admin, "m1", at(6), nil, decimal.Zero, "new meter"); err != nil {
		t.Fatal(err)
	}
	if flag := f.record(t, d, 7, "3"); flag != "" {
		t.Fatalf("reading after replacement flagged %q", flag)
	}
	u, err = f.svc.Consumption(f.admin, "m1", at(0), at(7))
	if err != nil || !u.Amount.Equal(decimal.NewFromInt(23)) {
		t.Fatalf("consumption with replacement = %+v, %v", u, err)
	}
	rs, err := f.svc.Readings(f.admin, "m1", at(0), at(8))
	if err != nil || len(rs) != 7 || rs[4].Flag != meters.FlagBackwards {
		t.Fatalf("readings = %+v, %v", rs, err)
	}
	f.meter(t, "m2", "L1-01", nil)
	f.record(t, f.mustGet(t, "m2"), 0, "100")
	f.record(t, f.mustGet(t, "m2"), 7, "107")
	u, err = f.svc.UnitConsumption(f.admin, f.mall, "L1-01", "electricity", at(0), at(7))
	if err != nil || !u.Amount.Equal(decimal.NewFromInt(30)) {
		t.Fatalf("unit consumption = %+v, %v", u, err)
	}
	var parts int
	_ = f.db.Pool.QueryRow(context.Background(), `SELECT count(DISTINCT tableoid) FROM meter_readings`).Scan(&parts)
	if parts != 2 {
		t.Fatalf("readings in %d partitions, want 2 (July and August)", parts)
	}
}

func (f fixture) mustGet(t *testing.T, id string) devices.Device {
	d, err := f.devs.Lookup(context.Background(), f.db.Pool, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestConsumptionScope(t *testing.T) {
	f := setup(t)
	f.meter(t, "m1", "u", nil)
	shopper := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()})
	if _, err := f.svc.Consumption(shopper, "m1", at(0), at(1)); err == nil {
		t.Fatal("shopper read a meter")
	}
}

func TestEnsurePartitions(t *testing.T) {
	f := setup(t)
	if err := f.svc.EnsurePartitions(context.Background(), time.Date(2031, 3, 5, 0, 0, 0, 0, time.UTC), 2); err != nil {
		t.Fatal(err)
	}
	var n int
	_ = f.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_class WHERE relname IN
		('meter_readings_203103', 'meter_readings_203104', 'meter_readings_203105')`).Scan(&n)
	if n != 3 {
		t.Fatalf("%d partitions created", n)
	}
}

// TestUnitMetersTx: billing's read returns the asked units' meters of the kind, each with
// its readings in the window plus one unflagged neighbour outside on each side, and the
// replacements between them, in one transaction.
func TestUnitMetersTx(t *testing.T) {
	f := setup(t)
	a := f.meter(t, "a", "L1-01", nil)
	b := f.meter(t, "b", "L1-01", nil)
	c := f.meter(t, "c", "L1-02", nil)
	f.meter(t, "d", "L1-03", nil) // not asked
	if _, _, err := f.devs.RegisterUnchecked(context.Background(), devices.NewDevice{ID: "w", MallID: f.mall,
		Type: devices.Meter, MeterKind: "water", BindingRef: "L1-01"}); err != nil {
		t.Fatal(err)
	}
	for _, h := range []int{0, 1, 2} { // 0 is left out: 1 is the neighbour before the window
		f.record(t, a, h, strconv.Itoa(100+h))
	}
	f.record(t, a, 4, "50") // backwards: flagged, still loaded
	f.record(t, a, 5, "110")
	f.record(t, a, 9, "120") // the neighbour after; 10 is left out
	f.record(t, a, 10, "130")
	f.record(t, b, 3, "7")
	if _, err := f.svc.RecordReplacement(f.admin, "b", at(4), nil, decimal.Zero, ""); err != nil {
		t.Fatal(err)
	}
	f.record(t, b, 6, "2")
	var got []meters.UnitMeter
	err := f.db.InTx(context.Background(), func(tx pgx.Tx) error {
		var err error
		got, err = meters.UnitMetersTx(context.Background(), tx, f.mall, "electricity",
			[]string{"L1-01", "L1-02", "nope"}, at(1).Add(30*time.Minute), at(8))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Device.ID != "a" || got[1].Device.ID != "b" || got[2].Device.ID != c.ID {
		t.Fatalf("meters = %+v", got)
	}
	var hours []int
	for _, p := range got[0].Readings {
		hours = append(hours, int(p.At.Sub(t0)/time.Hour))
	}
	if fmt.Sprint(hours) != "[1 2 4 5 9]" || len(got[0].Replacements) != 0 {
		t.Fatalf("meter a: readings at hours %v, replacements %v", hours, got[0].Replacements)
	}
	if len(got[1].Readings) != 2 || len(got[1].Replacements) != 1 || !got[1].Replacements[0].At.Equal(at(4)) {
		t.Fatalf("meter b = %+v", got[1])
	}
	if u := got[1].Series().Between(at(3), at(6)); !u.Amount.Equal(decimal.NewFromInt(2)) {
		t.Fatalf("meter b consumption = %+v", u)
	}
	if s := got[0].Series(); len(s.Flagged) != 1 || len(got[2].Readings) != 0 {
		t.Fatalf("meter a flagged %v, meter c readings %v", s.Flagged, got[2].Readings)
	}
}
