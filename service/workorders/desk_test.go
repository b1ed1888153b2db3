package workorders_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/service/workorders"
)

// otherMall is a second mall of another group with its own admin, desk and supervisor:
// none of them may touch the first mall's data.
func (f *fix) otherMall() (desk, supervisor context.Context) {
	f.t.Helper()
	g, m := orgtest.Mall(f.t, f.db, "M2")
	sys := auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: g}))
	return f.staff(sys, "odesk", auth.RoleServiceDesk, auth.LevelMall, m),
		f.staff(sys, "osup", auth.RoleSupervisor, auth.LevelMall, m)
}

// TestDispatchFollowsRoster: in a mall that keeps a roster for maintenance, automatic
// dispatch picks only technicians on shift now; by name the desk may still choose one
// off shift. Rosters are edited by supervisors and admins of the mall only.
func TestDispatchFollowsRoster(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ros := f.rosters()
	if err := f.svc.SetTechnician(f.desk, f.mall, f.techID1, []string{"plumbing"}, []string{"B1"}); err != nil {
		t.Fatal(err)
	}
	// Without a roster every technician competes: the skilled one wins.
	if o := f.raise(workorders.RaiseInput{Zone: "B1"}); *o.Assignee != f.techID1 {
		t.Fatalf("unrostered dispatch = %v", o.Assignee)
	}
	shift := rosters.Shift{MallID: f.mall, StaffID: f.techID2, Role: auth.RoleMaintenance,
		StartsAt: wednesday.Add(-time.Hour), EndsAt: wednesday.Add(7 * time.Hour)}
	if _, err := ros.AddShift(f.supervisor, shift); err != nil {
		t.Fatal(err)
	}
	if o := f.raise(workorders.RaiseInput{Zone: "B1"}); *o.Assignee != f.techID2 {
		t.Fatalf("rostered dispatch = %v, want the one on shift", o.Assignee)
	}
	// Overlaps, roles not held and strangers are refused.
	if _, err := ros.AddShift(f.admin, shift); !errors.Is(err, rosters.ErrOverlap) {
		t.Fatalf("overlap: %v", err)
	}
	bad := shift
	bad.StaffID, bad.Role = f.techID1, auth.RoleSecurity
	if _, err := ros.AddShift(f.admin, bad); !errors.Is(err, rosters.ErrNotRole) {
		t.Fatalf("role not held: %v", err)
	}
	odesk, osup := f.otherMall()
	for who, ctx := range map[string]context.Context{"desk": f.desk, "tech": f.tech1, "tenant": f.tenant,
		"shopper": f.shopper, "other mall's supervisor": osup} {
		if _, err := ros.AddShift(ctx, shift); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s added a shift: %v", who, err)
		}
	}
	list, err := ros.Shifts(f.tech1, f.mall, wednesday.Add(-24*time.Hour), wednesday.Add(24*time.Hour))
	if err != nil || len(list) != 1 || list[0].StaffID != f.techID2 {
		t.Fatalf("shifts = %+v, %v", list, err)
	}
	for who, ctx := range map[string]context.Context{"tenant": f.tenant, "shopper": f.shopper, "other mall": odesk} {
		if _, err := ros.Shifts(ctx, f.mall, wednesday, wednesday.Add(time.Hour)); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s read the roster: %v", who, err)
		}
		if err := ros.RemoveShift(ctx, list[0].ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("%s removed a shift: %v", who, err)
		}
	}
	// After the shift nobody is on duty: the order waits for the desk.
	f.clock.Add(8 * time.Hour)
	if o := f.raise(workorders.RaiseInput{Zone: "B1"}); o.Status != workorders.Open {
		t.Fatalf("dispatched off shift: %+v", o)
	}
	if err := ros.RemoveShift(f.supervisor, list[0].ID); err != nil {
		t.Fatal(err)
	}
}

// TestTicketAndReturnVisit: the desk records a phone complaint, works it through the
// same flow, and after closing records the return visit once; a low satisfaction opens
// a follow-up. Tenants, shoppers and another mall's desk get nothing.
func TestTicketAndReturnVisit(t *testing.T) {
	t.Parallel()
	f := setup(t)
	in := workorders.TicketInput{MallID: f.mall, Channel: workorders.ViaPhone, Category: "complaint",
		Contact: "Ms Li 138 0000 0000", Description: "music too loud at the fountain", MerchantID: &f.merchant}
	odesk, osup := f.otherMall()
	for who, ctx := range map[string]context.Context{"tech": f.tech1, "tenant": f.tenant, "shopper": f.shopper,
		"other mall's desk": odesk} {
		if _, err := f.svc.RecordTicket(ctx, in); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s recorded a ticket: %v", who, err)
		}
	}
	bad := in
	bad.Category = "plumbing"
	if _, err := f.svc.RecordTicket(f.desk, bad); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("repair as a ticket: %v", err)
	}
	o, err := f.svc.RecordTicket(f.desk, in)
	if err != nil || o.Channel != workorders.ViaPhone || o.Contact != in.Contact || o.Status != workorders.Assigned ||
		*o.Assignee != auth.ViewerFrom(f.desk).ID {
		t.Fatalf("ticket = %+v, %v", o, err)
	}
	// The merchant's people follow it like their own order.
	if _, err := f.svc.Order(f.tenant, o.ID); err != nil {
		t.Fatalf("tenant cannot see its ticket: %v", err)
	}
	f.must(f.svc.Accept(f.desk, o.ID))
	f.must(f.svc.Start(f.desk, o.ID))
	if _, err := f.svc.RecordReturnVisit(f.desk, o.ID, 4, ""); !errors.Is(err, workorders.ErrNotClosed) {
		t.Fatalf("visit before closing: %v", err)
	}
	f.must(f.svc.Resolve(f.desk, o.ID, "volume lowered"))
	f.must(f.svc.Confirm(f.desk, o.ID, 4, "on behalf of the caller"))
	waiting, err := f.svc.AwaitingReturnVisit(f.supervisor, f.mall, page.Request{First: 10})
	if err != nil || len(waiting.Items) != 1 || waiting.Items[0].ID != o.ID {
		t.Fatalf("awaiting = %+v, %v", waiting.Items, err)
	}
	for who, ctx := range map[string]context.Context{"tenant": f.tenant, "shopper": f.shopper, "other mall's desk": odesk,
		"other mall's supervisor": osup, "tech": f.tech1} {
		if _, err := f.svc.AwaitingReturnVisit(ctx, f.mall, page.Request{First: 10}); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s listed return visits: %v", who, err)
		}
	}
	for who, ctx := range map[string]context.Context{"tenant": f.tenant, "shopper": f.shopper, "other mall's desk": odesk} {
		if _, err := f.svc.RecordReturnVisit(ctx, o.ID, 5, ""); err == nil {
			t.Fatalf("%s recorded a return visit", who)
		}
	}
	if _, err := f.svc.RecordReturnVisit(f.desk, o.ID, 0, ""); !errors.Is(err, workorders.ErrRating) {
		t.Fatalf("satisfaction 0: %v", err)
	}
	rv, err := f.svc.RecordReturnVisit(f.desk, o.ID, 2, "still noisy on weekends")
	if err != nil || rv.Satisfaction != 2 {
		t.Fatalf("visit = %+v, %v", rv, err)
	}
	if _, err := f.svc.RecordReturnVisit(f.supervisor, o.ID, 5, ""); !errors.Is(err, workorders.ErrVisited) {
		t.Fatalf("second visit: %v", err)
	}
	got, err := f.svc.ReturnVisitOf(f.tenant, o.ID)
	if err != nil || got == nil || got.Comment != "still noisy on weekends" {
		t.Fatalf("tenant's view of the visit = %+v, %v", got, err)
	}
	if _, err := f.svc.ReturnVisitOf(f.shopper, o.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("shopper saw the visit: %v", err)
	}
	list, _ := f.svc.Orders(f.desk, workorders.Filter{MallID: f.mall}, page.Request{First: 10})
	if len(list.Items) != 2 || list.Items[0].Category != "follow_up" || *list.Items[0].FollowUpOf != o.ID {
		t.Fatalf("no follow-up: %+v", list.Items)
	}
	if w, _ := f.svc.AwaitingReturnVisit(f.desk, f.mall, page.Request{First: 10}); len(w.Items) != 0 {
		t.Fatalf("still awaiting: %+v", w.Items)
	}
	// A shopper's complaint comes from the mini-program, goes to the desk, and only its
	// shopper sees it.
	c, err := f.svc.Raise(f.shopper, workorders.RaiseInput{MallID: f.mall, Category: "complaint", Description: "dirty toilets"})
	if err != nil || c.Channel != workorders.ViaMiniProgram || *c.Assignee != auth.ViewerFrom(f.desk).ID {
		t.Fatalf("shopper complaint = %+v, %v", c, err)
	}
	other := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()})
	if _, err := f.svc.Order(other, c.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("another shopper saw the complaint: %v", err)
	}
	if mine, _ := f.svc.Orders(other, workorders.Filter{}, page.Request{First: 10}); len(mine.Items) != 0 {
		t.Fatalf("another shopper lists %d orders", len(mine.Items))
	}
}
