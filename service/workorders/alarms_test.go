package workorders_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/service/workorders"
)

func (f *fix) alarmOrders() []workorders.Order {
	f.t.Helper()
	res, err := f.svc.Orders(f.desk, workorders.Filter{MallID: f.mall}, page.Request{First: 100})
	if err != nil {
		f.t.Fatal(err)
	}
	var out []workorders.Order
	for _, o := range res.Items {
		if o.AlarmSource != nil {
			out = append(out, o)
		}
	}
	return out
}

// TestDeviceGoingSilent: the health job's offline alarm opens one order through the
// devices hook, announced to the mall's staff once the job's transaction commits; a
// second run adds nothing, and the device's return is noted on it.
func TestDeviceGoingSilent(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	if _, err := f.db.Pool.Exec(ctx, `INSERT INTO devices (id, mall_id, type, password_hash) VALUES ('cam-1', $1, 'patrol', 'x')`, f.mall); err != nil {
		t.Fatal(err)
	}
	devs := devices.New(devices.Deps{DB: f.db, Org: f.orgs, Passwords: auth.NewPasswords(bcrypt.MinCost), Now: f.clock.Now})
	devs.SetAlarmHook(workorders.Hooks{S: f.svc})
	sub, cancel := context.WithTimeout(f.desk, 20*time.Second)
	defer cancel()
	updates, err := f.svc.SubscribeMall(sub, f.mall)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := devs.CheckSilence(ctx, f.clock.Now(), 10*time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	os := f.alarmOrders()
	if len(os) != 1 || *os[0].AlarmSource != "cam-1" || *os[0].AlarmKind != workorders.KindOffline || os[0].RepeatCount != 1 {
		t.Fatalf("orders = %+v", os)
	}
	select {
	case u := <-updates:
		if u.Kind != workorders.UpdRaised || u.OrderID != os[0].ID {
			t.Fatalf("first update %+v, want the new order raised", u)
		}
	case <-sub.Done():
		t.Fatal("the order opened by the devices hook was not announced")
	}
	f.clock.Add(time.Minute)
	if _, err := f.db.Pool.Exec(ctx, `UPDATE devices SET online = true, last_seen_at = $1 WHERE id = 'cam-1'`, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := devs.CheckSilence(ctx, f.clock.Now(), 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if o, _ := f.svc.Order(f.desk, os[0].ID); o.AlarmClearedAt == nil {
		t.Fatal("return not noted")
	}
}

// TestMissedCheckpoint: each checkpoint a round missed opens one order through the
// patrol hook, once.
func TestMissedCheckpoint(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	pat := patrol.New(patrol.Deps{DB: f.db, Org: f.orgs, Rosters: f.rosters(), Objects: f.objects(), Now: f.clock.Now})
	pat.SetMissHook(workorders.Hooks{S: f.svc})
	f.clock.Set(time.Date(2026, 6, 3, 0, 0, 0, 0, sh))
	sec := f.staff(auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, Grants: []auth.Grant{{Role: auth.RoleAdmin,
		Level: auth.LevelGroup, ScopeID: f.group}}}), "guard", auth.RoleSecurity, auth.LevelMall, f.mall)
	var pts []patrol.Point
	for i, tag := range []string{"CP1", "CP2"} {
		id, err := pat.CreateCheckpoint(sec, f.mall, tag, tag)
		if err != nil {
			t.Fatal(err)
		}
		pts = append(pts, patrol.Point{CheckpointID: id, FromMin: i * 10, ToMin: i*10 + 15})
	}
	if _, err := pat.CreateRoute(sec, patrol.Route{MallID: f.mall, Name: "Night", RoundStarts: []int{8 * 60}, Points: pts}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2026, 6, 3, 9, 0, 0, 0, sh))
	for range 2 {
		if _, err := pat.FlagMissed(ctx, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	os := f.alarmOrders()
	if len(os) != 2 || *os[0].AlarmKind != workorders.KindPatrolMissed || os[0].Category != "patrol_missed" {
		t.Fatalf("orders = %+v", os)
	}
	// patrol orders go to security staff: the guard is the only one.
	if os[0].Assignee == nil || *os[0].Assignee != auth.ViewerFrom(sec).ID {
		t.Fatalf("assignee = %v", os[0].Assignee)
	}
}
