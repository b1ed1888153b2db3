package workers_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/calendar/calendartest"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/sales"
	"github.com/atrium-mall/atrium/storage/storetest"
	"github.com/atrium-mall/atrium/workers"
)

// TestSalesAlertsRunOncePerMallAndDay: River runs the hourly fan-out on start; the
// mall's jobs raise the notice of a merchant that has not reported November by
// December's due day and the notice of a unit vacant since August; inserting the mall's job for the same day again is skipped as a
// duplicate, and a run for the next day notifies nothing new.
func TestSalesAlertsRunOncePerMallAndDay(t *testing.T) {
	t.Parallel()
	sh, _ := time.LoadLocation("Asia/Shanghai")
	clock := calendartest.NewClock(time.Date(2026, 8, 1, 12, 0, 0, 0, sh))
	s := servicetest.New(t, storetest.DB(t), servicetest.Clock(clock.Now))
	o := ledgertest.NewOrg(t, s.DB)
	leasingStaff := servicetest.Context(servicetest.Staff(auth.RoleLeasing, auth.LevelMall, o.MallID))
	if _, err := s.Leasing.CreateUnit(leasingStaff, leasing.UnitInput{MallID: o.MallID, Code: "L1-01", Kind: leasing.KindShop,
		Floor: "L1", GrossArea: decimal.NewFromInt(80), LettableArea: decimal.NewFromInt(70)}); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 10, 10, 12, 0, 0, 0, sh))
	tenant := servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, o.MerchantID))
	if _, err := s.Sales.Report(tenant, sales.ReportInput{MerchantID: o.MerchantID, Period: sales.PeriodDay,
		Day: time.Date(2026, 10, 9, 0, 0, 0, 0, time.UTC), Amount: decimal.NewFromInt(80)}); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 12, 6, 9, 0, 0, 0, sh))
	client := servicetest.Jobs(t, workers.Deps{DB: s.DB, Sales: s.Sales, Leasing: s.Leasing, Now: clock.Now}, 2)
	start(t, client)
	count := func() int {
		res, err := s.Notices.Mine(leasingStaff, page.Request{First: 10}, false)
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Items)
	}
	if !servicetest.WaitFor(20*time.Second, 100*time.Millisecond, func() bool { return count() == 2 }) { // the job queue
		t.Fatalf("notices: %d, want 2", count())
	}
	ctx := context.Background()
	res, err := client.Insert(ctx, workers.SalesAlertsArgs{MallID: o.MallID, Day: "2026-12-06"}, nil)
	if err != nil || !res.UniqueSkippedAsDuplicate {
		t.Fatalf("the same mall and day again: %+v %v", res, err)
	}
	next, err := client.Insert(ctx, workers.SalesAlertsArgs{MallID: o.MallID, Day: "2026-12-07"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !servicetest.WaitFor(20*time.Second, 100*time.Millisecond, func() bool { // the job queue
		j, err := client.JobGet(ctx, next.Job.ID)
		return err == nil && j.State == rivertype.JobStateCompleted
	}) {
		t.Fatal("the next day's job did not complete")
	}
	if n := count(); n != 2 {
		t.Fatalf("notices after the next day's run: %d", n)
	}
}
