package assets_test

import (
	"context"
	"testing"
	"time"

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
