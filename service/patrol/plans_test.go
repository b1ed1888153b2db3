package patrol_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// hooks counts the misses and anomalies handed out (the work-orders context in
// production).
type hooks struct {
	mu        sync.Mutex
	misses    []patrol.Miss
	anomalies []patrol.Anomaly
}

func (h *hooks) CheckpointMissed(_ context.Context, _ pgx.Tx, m patrol.Miss) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.misses = append(h.misses, m)
	return nil
}

func (h *hooks) AnomalyReported(_ context.Context, _ pgx.Tx, a patrol.Anomaly) (uuid.UUID, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.anomalies = append(h.anomalies, a)
	return uuid.New(), nil
}

// newService is the service over db with a local object store, returned too.
func newService(t *testing.T, db *storage.DB, now func() time.Time) (*patrol.Service, storage.Objects) {
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://objects.test", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	orgs := orgtest.Service(db)
	return patrol.New(patrol.Deps{DB: db, Org: orgs, Rosters: rosters.New(rosters.Deps{DB: db, Org: orgs, Now: now}),
		Objects: objs, Now: now}), objs
}

// TestPlans: a scheduled plan (every checkpoint, weekdays at 08:00 and 20:00) and a
// random plan (2 of 4 checkpoints at 14:00): rounds are materialised ahead once however
// often the job runs, carry the guard on shift and a seed that recomputes their
// checkpoints; misses are flagged once per round through the hook; compliance counts
// per guard and route; anomalies carry uploaded photos and open an order. Another
// mall's staff, tenants and shoppers get nothing.
func TestPlans(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx := context.Background()
	orgs := orgtest.Service(db)
	group, mall := orgtest.Mall(t, db, "M1")
	_, other := orgtest.Mall(t, db, "M2")
	if _, err := db.Pool.Exec(ctx, `INSERT INTO devices (id, mall_id, type, password_hash) VALUES ('p1', $1, 'patrol', 'x')`, mall); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := local(6, 0) // Saturday 2026-05-02 06:00
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); defer mu.Unlock(); now = t }
	svc, objects := newService(t, db, clock)
	h := &hooks{}
	svc.SetMissHook(h)
	svc.SetAnomalyHook(h)
	sys := auth.WithViewer(ctx, org.SystemViewer(org.Group{ID: group}))
	person := func(name string, role auth.Role, m uuid.UUID) context.Context {
		g := auth.Grant{Role: role, Level: auth.LevelMall, ScopeID: m}
		st, err := orgs.CreateStaff(sys, org.CreateStaffInput{Username: storetest.RandomName(name), Password: "secret-Pass-1",
			Grants: []auth.Grant{g}})
		if err != nil {
			t.Fatal(err)
		}
		return auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: st.ID, Grants: []auth.Grant{g}})
	}
	sup, guard := person("sup", auth.RoleSupervisor, mall), person("guard", auth.RoleSecurity, mall)
	guardID := auth.ViewerFrom(guard).ID
	strangers := map[string]context.Context{"other mall's supervisor": staff(other, auth.RoleSupervisor),
		"maintenance": staff(mall, auth.RoleMaintenance),
		"tenant": auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
			Grants: []auth.Grant{{Role: auth.RoleTenantAdmin, Level: auth.LevelMerchant, ScopeID: uuid.New()}}}),
		"shopper": auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()})}

	var cps []uuid.UUID
	for _, tag := range []string{"A", "B", "C", "D"} {
		id, err := svc.CreateCheckpoint(guard, mall, tag, "Gate "+tag)
		if err != nil {
			t.Fatal(err)
		}
		cps = append(cps, id)
	}
	route, err := svc.CreateRoute(guard, patrol.Route{MallID: mall, Name: "Ring", RoundStarts: []int{3 * 60},
		Points: []patrol.Point{{cps[0], 0, 15}, {cps[1], 10, 30}, {cps[2], 25, 45}, {cps[3], 40, 60}}})
	if err != nil {
		t.Fatal(err)
	}
	sched := patrol.Plan{MallID: mall, RouteID: route.ID, Name: "Weekdays", Weekdays: []int{1, 2, 3, 4, 5, 6},
		Times: []int{8 * 60, 20 * 60}}
	for who, c := range strangers {
		if _, err := svc.CreatePlan(c, sched); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s created a plan: %v", who, err)
		}
		if _, err := svc.Plans(c, mall); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s listed plans: %v", who, err)
		}
		if _, err := svc.Rounds(c, mall, local(0, 0), local(23, 0)); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s listed rounds: %v", who, err)
		}
		if _, err := svc.Compliance(c, mall, local(0, 0), local(23, 0)); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s read compliance: %v", who, err)
		}
		if _, err := svc.RequestPhotoUpload(c, mall); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s asked for an upload: %v", who, err)
		}
		if _, err := svc.ReportAnomaly(c, patrol.Anomaly{MallID: mall, Description: "x"}); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s reported an anomaly: %v", who, err)
		}
		if _, err := svc.Anomalies(c, mall, local(0, 0), local(23, 0)); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("%s listed anomalies: %v", who, err)
		}
	}
	if _, err := svc.CreatePlan(guard, sched); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("a guard created a plan: %v", err)
	}
	bad := sched
	bad.Weekdays = []int{1, 1}
	if _, err := svc.CreatePlan(sup, bad); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("repeated weekday: %v", err)
	}
	if _, err := svc.CreatePlan(sup, sched); err != nil {
		t.Fatal(err)
	}
	random := patrol.Plan{MallID: mall, RouteID: route.ID, Name: "Spot checks", Weekdays: []int{6}, Times: []int{14 * 60},
		RandomCount: 2}
	rp, err := svc.CreatePlan(sup, random)
	if err != nil {
		t.Fatal(err)
	}
	for who, c := range strangers {
		if err := svc.RetirePlan(c, rp.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("%s retired a plan: %v", who, err)
		}
	}
	if err := svc.RetirePlan(guard, rp.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("a guard retired a plan: %v", err)
	}
	// The guard is on shift 07:00-19:00 today.
	if _, err := rosters.New(rosters.Deps{DB: db, Org: orgs, Now: clock}).AddShift(sup, rosters.Shift{MallID: mall,
		StaffID: guardID, Role: auth.RoleSecurity, StartsAt: local(7, 0), EndsAt: local(19, 0)}); err != nil {
		t.Fatal(err)
	}

	run := func() patrol.PlanRun {
		t.Helper()
		var wg sync.WaitGroup
		runs := make([]patrol.PlanRun, 2)
		for i := range runs { // two instances at once
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if runs[i], err = svc.RunPlans(ctx, clock()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		return patrol.PlanRun{Created: runs[0].Created + runs[1].Created, Checked: runs[0].Checked + runs[1].Checked,
			Misses: append(runs[0].Misses, runs[1].Misses...)}
	}
	// Saturday 06:00 to Monday 06:00: Saturday 08:00, 14:00 (random), 20:00; Monday none
	// before 06:00; Sunday none.
	if r := run(); r.Created != 3 || r.Checked != 0 {
		t.Fatalf("first run = %+v", r)
	}
	if r := run(); r.Created != 0 {
		t.Fatalf("rerun created %d", r.Created)
	}
	rounds, err := svc.Rounds(guard, mall, local(0, 0), local(23, 59))
	if err != nil || len(rounds) != 3 {
		t.Fatalf("rounds = %+v, %v", rounds, err)
	}
	morning, spot, evening := rounds[0], rounds[1], rounds[2]
	if morning.GuardID == nil || *morning.GuardID != guardID || evening.GuardID != nil || len(morning.Seqs) != 4 {
		t.Fatalf("morning %+v evening %+v", morning, evening)
	}
	if len(spot.Seqs) != 2 || spot.PlanID != rp.ID {
		t.Fatalf("random round = %+v", spot)
	}
	if ok, err := svc.ChoiceHolds(ctx, spot); !ok || err != nil {
		t.Fatalf("the stored seed does not recompute the choice: %v", err)
	}
	forged := spot
	forged.Seqs = []int{1, 2}
	if slices.Equal(forged.Seqs, spot.Seqs) {
		forged.Seqs = []int{3, 4}
	}
	if ok, _ := svc.ChoiceHolds(ctx, forged); ok {
		t.Fatal("a forged choice holds")
	}

	// The morning round: A and B in their windows, C late, D never.
	scan := func(tag string, at time.Time) {
		err := db.InTx(ctx, func(tx pgx.Tx) error {
			_, err := patrol.ScanTx(ctx, tx, patrol.Scan{MallID: mall, DeviceID: "p1", Badge: "G-7", Tag: tag, At: at})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	scan("A", local(8, 5))
	scan("B", local(8, 20))
	scan("C", local(8, 50))
	set(local(9, 30))
	r := run()
	if r.Checked != 1 || len(r.Misses) != 2 || r.Misses[0].Seq != 3 || r.Misses[1].Seq != 4 {
		t.Fatalf("morning check = %+v", r)
	}
	if r := run(); r.Checked != 0 || len(r.Misses) != 0 {
		t.Fatalf("checked twice: %+v", r)
	}
	if len(h.misses) != 2 {
		t.Fatalf("hook heard %d misses", len(h.misses))
	}

	// Anomaly with an uploaded photo; a key of another mall or never uploaded is refused.
	up, err := svc.RequestPhotoUpload(guard, mall)
	if err != nil || up.URL == "" {
		t.Fatalf("upload = %+v, %v", up, err)
	}
	if _, err := svc.ReportAnomaly(guard, patrol.Anomaly{MallID: mall, Description: "door forced", Photos: []string{up.Key}}); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("photo never uploaded: %v", err)
	}
	if err := objects.Put(ctx, up.Key, bytes.NewReader([]byte("\xff\xd8\xff")), 3, "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ReportAnomaly(guard, patrol.Anomaly{MallID: mall, Description: "door forced",
		Photos: []string{"patrol/" + other.String() + "/" + uuid.NewString() + ".jpg"}}); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("another mall's key: %v", err)
	}
	a, err := svc.ReportAnomaly(guard, patrol.Anomaly{MallID: mall, CheckpointID: &cps[2], RoundID: &morning.ID,
		Description: "door forced", Photos: []string{up.Key}})
	if err != nil || a.OrderID == uuid.Nil || a.GuardID != guardID || len(h.anomalies) != 1 {
		t.Fatalf("anomaly = %+v, %v", a, err)
	}
	if list, err := svc.Anomalies(sup, mall, local(0, 0), local(23, 0)); err != nil || len(list) != 1 {
		t.Fatalf("anomalies = %+v, %v", list, err)
	}

	// The whole day passes with nothing else scanned.
	set(local(23, 0))
	r = run()
	if r.Checked != 2 || len(r.Misses) != 6 {
		t.Fatalf("evening check = %+v", r)
	}
	// A retired plan makes no more rounds; its rounds stay.
	if err := svc.RetirePlan(sup, rp.ID); err != nil {
		t.Fatal(err)
	}
	if plans, _ := svc.Plans(sup, mall); len(plans) != 1 {
		t.Fatalf("plans after retiring one: %d", len(plans))
	}
	rep, err := svc.Compliance(sup, mall, local(0, 0), local(23, 59))
	if err != nil || len(rep.ByGuard) != 2 || len(rep.ByRoute) != 1 {
		t.Fatalf("compliance = %+v, %v", rep, err)
	}
	g := rep.ByGuard[0] // the guard: morning and spot rounds (on shift 07-19)
	if g.GuardID == nil || *g.GuardID != guardID || g.Planned != 2 || g.Completed != 0 || g.Missed != 4 || g.OnTimePercent != 33 {
		t.Fatalf("guard compliance = %+v", g)
	}
	if rt := rep.ByRoute[0]; rt.Planned != 3 || rt.Missed != 8 || rt.OnTimePercent != 20 {
		t.Fatalf("route compliance = %+v", rt)
	}
}
