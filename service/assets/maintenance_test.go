package assets_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters"

	"github.com/atrium-mall/atrium/service/assets"
	dep "github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/workorders"
)

// TestMaintenancePlanOpensOncePerDue: a plan every 30 days opens one work order on its
// due date however often the job runs, the next one 30 days later, and both are the
// asset's maintenance history.
func TestMaintenancePlanOpensOncePerDue(t *testing.T) {
	t.Parallel()
	f := setup(t, at(2026, 3, 1, 9))
	a := f.register(t, "B2", straight(120_000, 12, dep.D(2026, 1, 1)))
	pl, err := f.svc.CreatePlan(f.tech, assets.PlanInput{AssetID: a.ID, Title: "Clean the condenser",
		Every: assets.EveryDays, N: 30, FirstDue: dep.D(2026, 3, 5)})
	if err != nil {
		t.Fatal(err)
	}
	run := func() int {
		n, err := f.svc.OpenDueMaintenance(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := run(); n != 0 {
		t.Fatalf("opened %d before the due date", n)
	}
	f.base.Clock.Set(at(2026, 3, 5, 8))
	if n := run() + run(); n != 1 {
		t.Fatalf("due date: opened %d, want 1", n)
	}
	f.base.Clock.Add(30 * 24 * time.Hour)
	if n := run() + run(); n != 1 {
		t.Fatalf("next due: opened %d, want 1", n)
	}
	hist, err := f.svc.History(f.tech, a.ID)
	if err != nil || len(hist) != 2 || hist[0].DueKey != "2026-04-04" || hist[1].DueKey != "2026-03-05" || hist[0].PlanID != pl.ID {
		t.Fatalf("history %+v, %v", hist, err)
	}
	o, err := f.wo.Order(f.tech, hist[1].OrderID)
	if err != nil || o.Category != "preventive_maintenance" || o.Zone != "B2" || o.Status != workorders.Open && o.Status != workorders.Assigned {
		t.Fatalf("order %+v, %v", o, err)
	}
}

// TestUsageMaintenancePlanOpensByMeter: a plan every 500 units of a meter opens an
// order once the meter counted 500 since the plan's mark, then counts again from there.
func TestUsageMaintenancePlanOpensByMeter(t *testing.T) {
	t.Parallel()
	start := at(2026, 3, 1, 9)
	f := setup(t, start)
	a := f.register(t, "B2", straight(120_000, 12, dep.D(2026, 1, 1)))
	devs := devices.New(devices.Deps{DB: f.base.DB, Org: f.base.Org, Passwords: auth.NewPasswords(4), Now: f.base.Clock.Now})
	dev, _, err := devs.RegisterUnchecked(f.admin, devices.NewDevice{ID: "meter-chiller", MallID: f.org.MallID,
		Type: devices.Meter, MeterKind: "electricity"})
	if err != nil {
		t.Fatal(err)
	}
	read := func(id string, at time.Time, v int64) {
		t.Helper()
		if err := f.base.DB.InTx(context.Background(), func(tx pgx.Tx) error {
			_, err := meters.RecordTx(context.Background(), tx, dev, id, at, decimal.NewFromInt(v), at)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	read("r1", start.Add(-time.Hour), 1000)
	if _, err := f.svc.CreatePlan(f.tech, assets.PlanInput{AssetID: a.ID, Title: "Compressor check", Every: assets.EveryUsage,
		MeterDeviceID: "meter-chiller", UsageEvery: decimal.NewFromInt(500)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreatePlan(f.tech, assets.PlanInput{AssetID: a.ID, Title: "x", Every: assets.EveryUsage,
		MeterDeviceID: "no-such-meter", UsageEvery: decimal.NewFromInt(500)}); !errors.Is(err, assets.ErrPlanMeterNeeded) {
		t.Fatalf("unknown meter: %v", err)
	}
	read("r2", start.Add(time.Hour), 1200)
	f.base.Clock.Set(start.Add(2 * time.Hour))
	if n, err := f.svc.OpenDueMaintenance(context.Background()); err != nil || n != 0 {
		t.Fatalf("after 100 units: %d, %v", n, err)
	}
	read("r3", start.Add(3*time.Hour), 1700)
	f.base.Clock.Set(start.Add(3*time.Hour + 30*time.Minute))
	for i, want := range []int{1, 0} {
		if n, err := f.svc.OpenDueMaintenance(context.Background()); err != nil || n != want {
			t.Fatalf("run %d after 600 units: %d, %v", i, n, err)
		}
	}
	if hist, err := f.svc.History(f.finance, a.ID); err != nil || len(hist) != 1 {
		t.Fatalf("history %+v, %v", hist, err)
	}
}
