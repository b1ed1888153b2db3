package workorders_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/calendar/business"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/service/workorders/sla"
)

// TestLifecycle walks an order from a tenant's report to a poor rating: dispatch by
// skill, the assignee only, a pause that stops the clock, and a follow-up for the desk.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	f := setup(t)
	if err := f.svc.SetTechnician(f.desk, f.mall, f.techID2, []string{"plumbing"}, []string{"B1"}); err != nil {
		t.Fatal(err)
	}
	o := f.raise(workorders.RaiseInput{Zone: "B1"})
	if o.Status != workorders.Assigned || *o.Assignee != f.techID2 || o.Source != workorders.FromTenant || o.Number != 1 {
		t.Fatalf("raised = %+v", o)
	}
	// NORMAL: respond in 30 business minutes, warn at 80 % (10:24).
	if got := f.jobsOf(o.ID); len(got) != 1 || got[0] != wednesday.Add(24*time.Minute).Unix() {
		t.Fatalf("jobs = %v", got)
	}
	if _, err := f.svc.Accept(f.tech1, o.ID); !errors.Is(err, workorders.ErrNotAssignee) {
		t.Fatalf("other technician accepted: %v", err)
	}
	f.clock.Add(10 * time.Minute)
	f.must(f.svc.Accept(f.tech2, o.ID))
	f.must(f.svc.Start(f.tech2, o.ID))
	f.clock.Add(time.Hour)
	if _, err := f.svc.Pause(f.tech2, o.ID, "LUNCH", ""); !errors.Is(err, workorders.ErrReason) {
		t.Fatalf("bad reason: %v", err)
	}
	p := f.must(f.svc.Pause(f.tech2, o.ID, workorders.WaitParts, "valve on order"))
	if p.Status != workorders.Waiting {
		t.Fatalf("paused = %s", p.Status)
	}
	before, _ := f.svc.Report(f.tenant, o.ID)
	f.clock.Add(3 * time.Hour)
	during, _ := f.svc.Report(f.tenant, o.ID)
	if during.Resolution.State != sla.Paused || during.Resolution.Elapsed != before.Resolution.Elapsed {
		t.Fatalf("clock ran while paused: %+v then %+v", before.Resolution, during.Resolution)
	}
	f.must(f.svc.Resume(f.tech2, o.ID))
	f.must(f.svc.AddNote(f.tech2, o.ID, "valve replaced"))
	f.must(f.svc.Resolve(f.tech2, o.ID, "fixed"))
	if _, err := f.svc.Confirm(f.tenant, o.ID, 6, ""); !errors.Is(err, workorders.ErrRating) {
		t.Fatalf("rating 6: %v", err)
	}
	f.must(f.svc.Reopen(f.tenant, o.ID, "still dripping"))
	f.must(f.svc.Resolve(f.tech2, o.ID, "tightened"))
	c := f.must(f.svc.Confirm(f.tenant, o.ID, 2, "slow"))
	if c.Status != workorders.Closed || *c.Rating != 2 {
		t.Fatalf("closed = %+v", c)
	}
	list, err := f.svc.Orders(f.desk, workorders.Filter{MallID: f.mall}, page.Request{First: 10})
	if err != nil || len(list.Items) != 2 || list.Items[0].Category != "follow_up" || *list.Items[0].FollowUpOf != o.ID ||
		list.Items[0].Status != workorders.Open {
		t.Fatalf("orders = %+v, %v", list.Items, err)
	}
	h, _ := f.svc.History(f.tenant, o.ID)
	var kinds []string
	for _, e := range h {
		kinds = append(kinds, e.Kind)
	}
	want := "raise assign accept start pause resume note resolve reopen resolve confirm"
	if got := join(kinds); got != want {
		t.Fatalf("history = %s\nwant      %s", got, want)
	}
	// every action of a person is in the audit log (the raise and the automatic dispatch are system events)
	logged, err := audit.Of(t.Context(), f.db.Pool, "work_order", o.ID)
	if err != nil || len(logged) != len(kinds)-2 || logged[0].Action != "workorder.accept" {
		t.Fatalf("audit log: %d entries (%v), history %d", len(logged), err, len(kinds))
	}
	ps, _ := f.svc.Pauses(f.tenant, o.ID)
	if len(ps) != 1 || ps[0].Reason != workorders.WaitParts || ps[0].To == nil || ps[0].To.Sub(ps[0].From) != 3*time.Hour {
		t.Fatalf("pauses = %+v", ps)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func (f *fix) must(o workorders.Order, err error) workorders.Order {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
	return o
}

// TestPauseMovesTheJob: no check while paused (nothing can breach), a new one at resume.
func TestPauseMovesTheJob(t *testing.T) {
	t.Parallel()
	f := setup(t)
	o := f.raise(workorders.RaiseInput{})
	f.must(f.svc.Accept(f.techAssignee(o), o.ID))
	f.must(f.svc.Start(f.techAssignee(o), o.ID))
	jobs := len(f.jobsOf(o.ID))
	f.must(f.svc.Pause(f.techAssignee(o), o.ID, workorders.WaitTenant, "tenant away"))
	if got := len(f.jobsOf(o.ID)); got != jobs {
		t.Fatalf("a pause scheduled a check: %d jobs, had %d", got, jobs)
	}
	f.clock.Add(2 * time.Hour)
	f.must(f.svc.Resume(f.techAssignee(o), o.ID))
	rep, _ := f.svc.Report(f.desk, o.ID)
	got := f.jobsOf(o.ID)
	if len(got) != jobs+1 || got[len(got)-1] != rep.NextCheck.Unix() {
		t.Fatalf("jobs after resume = %v, next check %v", got, rep.NextCheck)
	}
	// A priority change moves the check too.
	f.must(f.svc.SetPriority(f.desk, o.ID, sla.Urgent))
	rep2, _ := f.svc.Report(f.desk, o.ID)
	if got := f.jobsOf(o.ID); !slices.Contains(got, rep2.NextCheck.Unix()) || !rep2.NextCheck.Before(rep.NextCheck) {
		t.Fatalf("jobs after upgrade = %v, next %v (was %v)", got, rep2.NextCheck, rep.NextCheck)
	}
}

func (f *fix) techAssignee(o workorders.Order) context.Context {
	if o.Assignee != nil && *o.Assignee == f.techID2 {
		return f.tech2
	}
	return f.tech1
}

// TestAcceptRace: two technicians accept one open order at once; one wins, the other
// gets WORK_ORDER_TAKEN.
func TestAcceptRace(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for round := 0; round < 5; round++ {
		// security orders go to SECURITY staff: there are none, so the order stays open.
		o := f.raise(workorders.RaiseInput{Category: "security", Description: "door forced"})
		if o.Status != workorders.Open {
			t.Fatalf("status = %s", o.Status)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, ctx := range []context.Context{f.tech1, f.tech2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.Accept(ctx, o.ID)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, workorders.ErrTaken):
				t.Fatalf("loser got %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d winners (%v)", round, won, errs)
		}
	}
}

// TestAlarmBurst: 100 identical alarms at once are one open order with a count of 100;
// a clearing is noted; after the order is resolved the next alarm opens a new one.
func TestAlarmBurst(t *testing.T) {
	t.Parallel()
	f := setup(t)
	a := workorders.Alarm{MallID: f.mall, Source: "meter-7", Kind: "meter_backwards", Category: "meter_anomaly",
		Description: "reading went backwards"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	opened, ids := 0, map[uuid.UUID]bool{}
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := f.svc.RaiseAlarm(t.Context(), a)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[r.Order.ID] = true
			if r.Opened {
				opened++
			}
		}()
	}
	wg.Wait()
	if opened != 1 || len(ids) != 1 {
		t.Fatalf("opened %d orders, ids %d", opened, len(ids))
	}
	var id uuid.UUID
	for k := range ids {
		id = k
	}
	o, err := f.svc.Order(f.desk, id)
	if err != nil || o.RepeatCount != 100 || o.Source != workorders.FromDevice {
		t.Fatalf("order = %+v, %v", o, err)
	}
	if err := f.svc.ClearAlarm(t.Context(), f.mall, a.Source, a.Kind); err != nil {
		t.Fatal(err)
	}
	if o, _ = f.svc.Order(f.desk, id); o.AlarmClearedAt == nil {
		t.Fatal("clearing not noted")
	}
	tech := f.techAssignee(o)
	f.must(f.svc.Accept(tech, id))
	f.must(f.svc.Start(tech, id))
	f.must(f.svc.Resolve(tech, id, "meter replaced"))
	r, err := f.svc.RaiseAlarm(t.Context(), a)
	if err != nil || !r.Opened || r.Order.ID == id {
		t.Fatalf("after resolve: %+v, %v", r, err)
	}
}

// TestEscalatesOnce: the SLA job run by many goroutines of two app instances records
// each (order, clock, level) once: the warning at 80 %, the breach after.
func TestEscalatesOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	other := f.newService()
	o := f.raise(workorders.RaiseInput{Priority: sla.Urgent, Description: "water on the floor"})
	run := func() int {
		var wg sync.WaitGroup
		var mu sync.Mutex
		n := 0
		for i := 0; i < 20; i++ {
			svc := f.svc
			if i%2 == 1 {
				svc = other
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				es, err := svc.CheckSLA(t.Context(), workorders.CheckArgs{OrderID: o.ID, At: f.clock.Now().Unix()})
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				n += len(es)
				mu.Unlock()
			}()
		}
		wg.Wait()
		return n
	}
	f.clock.Add(3 * time.Minute)
	if n := run(); n != 0 {
		t.Fatalf("escalated at 60 %%: %d", n)
	}
	f.clock.Add(time.Minute) // 4 of 5 minutes: the warning
	if n := run(); n != 1 {
		t.Fatalf("warning escalations = %d", n)
	}
	f.clock.Add(2 * time.Minute) // breached
	if n := run(); n != 1 {
		t.Fatalf("breach escalations = %d", n)
	}
	if n := run(); n != 0 {
		t.Fatalf("rerun escalated again: %d", n)
	}
	es, err := f.svc.Escalations(f.desk, o.ID)
	if err != nil || len(es) != 2 || es[0].Level != 1 || es[0].State != sla.Warning || es[1].Level != 2 ||
		es[1].State != sla.Breached || es[1].Clock != workorders.ResponseClock {
		t.Fatalf("escalations = %+v, %v", es, err)
	}
	if _, err := f.svc.Escalations(f.tenant, o.ID); err == nil {
		t.Fatal("tenant read escalations")
	}
	// Each level is told once to the role it goes to: the supervisor the warning, admins the breach.
	if es[0].ToRole != auth.RoleSupervisor || es[1].ToRole != auth.RoleAdmin {
		t.Fatalf("chain = %s, %s", es[0].ToRole, es[1].ToRole)
	}
	for who, ctx := range map[string]context.Context{"supervisor": f.supervisor, "admin": f.admin} {
		got, err := f.notices().Mine(ctx, page.Request{First: 10}, false)
		if err != nil || len(got.Items) != 1 || got.Items[0].Kind != "work_order_escalation" || got.Items[0].SubjectID != o.ID {
			t.Fatalf("%s's notices: %+v, %v", who, got.Items, err)
		}
	}
}

// TestCalendar: a mall's calendar is seeded with this year's and next year's statutory
// days; an admin's holiday moves the deadline of a business-hours order.
func TestCalendar(t *testing.T) {
	t.Parallel()
	f := setup(t)
	cal, err := f.svc.Calendar(f.desk, f.mall)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, d := range cal.Days {
		seen[d.Date.Format(time.DateOnly)] = true
	}
	if !seen["2026-10-01"] || !seen["2027-01-01"] || len(cal.Week[time.Monday]) != 1 || len(cal.Week[time.Sunday]) != 0 {
		t.Fatalf("seeded calendar: %d days, week %v", len(cal.Days), cal.Week)
	}
	if err := f.svc.SetHolidays(f.desk, f.mall, 2026, nil); err == nil {
		t.Fatal("desk edited holidays")
	}
	wed := business.Day{Date: time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC), Name: "closed", Kind: business.Off}
	if err := f.svc.SetHolidays(f.admin, f.mall, 2026, []business.Day{wed}); err != nil {
		t.Fatal(err)
	}
	o := f.raise(workorders.RaiseInput{Category: "hvac", Description: "too warm"})
	rep, err := f.svc.Report(f.desk, o.ID)
	if want := time.Date(2026, 6, 4, 9, 30, 0, 0, sh); err != nil || !rep.Response.Deadline.Equal(want) {
		t.Fatalf("response deadline %v, want %v (%v)", rep.Response.Deadline, want, err)
	}
	if err := f.svc.SetPolicy(f.admin, f.mall, workorders.PolicyRow{Category: "hvac", Priority: sla.Normal,
		Response: time.Hour, Resolution: 2 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	rep, _ = f.svc.Report(f.desk, o.ID)
	if want := time.Date(2026, 6, 4, 10, 0, 0, 0, sh); !rep.Response.Deadline.Equal(want) {
		t.Fatalf("after the policy change: %v, want %v", rep.Response.Deadline, want)
	}
}

// TestOrderUnits: an order's unit must be one of the mall's; a tenant raises orders only
// on the units its merchant holds today (staff on any unit of the mall).
func TestOrderUnits(t *testing.T) {
	t.Parallel()
	f := setup(t)
	sys := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: f.group}))
	lease, leasingStaff := f.leasing(), f.staff(sys, "leasing", auth.RoleLeasing, auth.LevelMall, f.mall)
	unit := func(code string) uuid.UUID {
		u, err := lease.CreateUnit(leasingStaff, leasing.UnitInput{MallID: f.mall, Code: code, Kind: leasing.KindShop,
			Floor: "L1", GrossArea: decimal.NewFromInt(60), LettableArea: decimal.NewFromInt(50)})
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	held, vacant := unit("L1-01"), unit("L1-02")
	start := schedule.D(2026, 1, 1)
	c, err := lease.CreateContract(leasingStaff, leasing.ContractInput{MallID: f.mall, MerchantID: f.merchant,
		UnitIDs: []uuid.UUID{held}, Terms: schedule.Terms{Start: start, End: start.AddYears(2).AddDays(-1),
			Rent:    schedule.Rent{Basis: schedule.RentFixedMonthly, Amount: decimal.NewFromInt(9000)},
			Billing: schedule.Billing{Frequency: schedule.Monthly, Timing: schedule.InAdvance, DueDay: 5}}})
	if err == nil {
		_, err = lease.Submit(leasingStaff, c.ID)
	}
	if err == nil {
		_, _, err = lease.Approve(f.admin, c.ID, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	raise := func(ctx context.Context, unit uuid.UUID, merchant *uuid.UUID) error {
		_, err := f.svc.Raise(ctx, workorders.RaiseInput{MallID: f.mall, MerchantID: merchant, Category: "plumbing",
			Description: "leaking tap", UnitID: &unit})
		return err
	}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		unit uuid.UUID
		ok   bool
	}{
		{"the tenant on its unit", f.tenant, held, true},
		{"the tenant on a vacant unit", f.tenant, vacant, false},
		{"the tenant on no unit of the mall", f.tenant, uuid.New(), false},
		{"the desk on a vacant unit", f.desk, vacant, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			merchant := &f.merchant
			if tc.ctx == f.desk {
				merchant = nil
			}
			err := raise(tc.ctx, tc.unit, merchant)
			if tc.ok != (err == nil) || !tc.ok && !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("raise: %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
