package workers_test

import (
	"context"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/service/workorders/sla"
	"github.com/atrium-mall/atrium/storage/storetest"
	"github.com/atrium-mall/atrium/workers"
)

// TestWorkOrderSLAJob: the job the service schedules at the order's next check runs on
// River and escalates both clocks of a (very) urgent order, each level once.
func TestWorkOrderSLAJob(t *testing.T) {
	t.Parallel()
	s := servicetest.New(t, storetest.DB(t))
	group, mall := orgtest.Mall(t, s.DB, "M1")
	admin := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: group}))
	if err := s.WorkOrders.SetPolicy(admin, mall, workorders.PolicyRow{Category: "elevator", Priority: sla.Urgent,
		Response: 2 * time.Second, Resolution: 3 * time.Second, AroundTheClock: true}); err != nil {
		t.Fatal(err)
	}
	o, err := s.WorkOrders.Raise(admin, workorders.RaiseInput{MallID: mall, Category: "elevator", Priority: sla.Urgent,
		Description: "stuck between floors"})
	if err != nil {
		t.Fatal(err)
	}
	start(t, servicetest.Jobs(t, workers.Deps{DB: s.DB, WorkOrders: s.WorkOrders}, 2))
	var es []workorders.Escalation
	if !servicetest.WaitFor(30*time.Second, 200*time.Millisecond, func() bool { // waiting for the job queue
		es, err = s.WorkOrders.Escalations(admin, o.ID)
		return err == nil && len(es) == 4
	}) {
		t.Fatalf("escalations = %+v, %v", es, err)
	}
}

// TestSilentDeviceOpensOrderThroughTheApp: as wired by app.New, the device health job's
// offline alarm opens one work order (devices' alarm hook), however often it runs.
func TestSilentDeviceOpensOrderThroughTheApp(t *testing.T) {
	t.Parallel()
	s := servicetest.New(t, storetest.DB(t))
	group, mall := orgtest.Mall(t, s.DB, "M1")
	admin := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: group}))
	if _, _, err := s.Devices.RegisterUnchecked(admin, devices.NewDevice{ID: "meter-9", MallID: mall, Type: devices.Meter,
		MeterKind: "water"}); err != nil {
		t.Fatal(err)
	}
	w := &workers.CheckDevicesWorker{Devices: s.Devices, Now: func() time.Time { return time.Now().Add(time.Hour) }}
	for range 3 {
		if err := w.Work(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.WorkOrders.Orders(admin, workorders.Filter{MallID: mall}, page.Request{First: 10})
	if err != nil || len(list.Items) != 1 || *list.Items[0].AlarmSource != "meter-9" || list.Items[0].Category != "device_offline" {
		t.Fatalf("orders = %+v, %v", list.Items, err)
	}
}
