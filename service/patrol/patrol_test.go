package patrol_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/storage/storetest"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

func local(h, m int) time.Time { return time.Date(2026, 5, 2, h, m, 0, 0, sh) }

func staff(mall uuid.UUID, role auth.Role) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: role, Level: auth.LevelMall, ScopeID: mall}}})
}

func TestFlagMissed(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx := context.Background()
	_, mall := orgtest.Mall(t, db, "M1")
	if _, err := db.Pool.Exec(ctx, `INSERT INTO devices (id, mall_id, type, password_hash) VALUES ('p1', $1, 'patrol', 'x')`, mall); err != nil {
		t.Fatal(err)
	}
	svc, _ := newService(t, db, func() time.Time { return local(0, 0) })
	sec := staff(mall, auth.RoleSecurity)
	var cps []uuid.UUID
	for _, tag := range []string{"CP1", "CP2", "CP3"} {
		id, err := svc.CreateCheckpoint(sec, mall, tag, "Gate "+tag)
		if err != nil {
			t.Fatal(err)
		}
		cps = append(cps, id)
	}
	if _, err := svc.CreateCheckpoint(sec, mall, "CP1", "again"); !errors.Is(err, patrol.ErrTagExists) {
		t.Fatalf("duplicate tag: %v", err)
	}
	_, err := svc.CreateRoute(sec, patrol.Route{MallID: mall, Name: "Night", RoundStarts: []int{8 * 60, 20 * 60},
		Points: []patrol.Point{{cps[0], 0, 15}, {cps[1], 10, 30}, {cps[2], 25, 45}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.CreateRoute(sec, patrol.Route{MallID: mall, Name: "Bad", RoundStarts: []int{60},
		Points: []patrol.Point{{cps[1], 10, 30}, {cps[0], 0, 15}}})
	if !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("unordered windows: %v", err)
	}
	scan := func(tag string, at time.Time) bool {
		var known bool
		err := db.InTx(ctx, func(tx pgx.Tx) error {
			var err error
			known, err = patrol.ScanTx(ctx, tx, patrol.Scan{MallID: mall, DeviceID: "p1", Badge: "G-7", Tag: tag, At: at})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return known
	}
	scan("CP1", local(8, 5))
	scan("CP2", local(8, 40)) // too late for its window
	if scan("CP9", local(8, 6)) {
		t.Fatal("unknown tag reported known")
	}
	check := func(now time.Time, want int) {
		t.Helper()
		got, err := svc.FlagMissed(ctx, now)
		if err != nil || len(got) != want {
			t.Fatalf("at %v: %d misses (%v), want %d", now, len(got), err, want)
		}
	}
	check(local(8, 20), 0)
	check(local(9, 0), 2)
	check(local(9, 5), 0) // once
	misses, err := svc.Misses(sec, mall, local(0, 0), local(23, 0))
	if err != nil || len(misses) != 2 || misses[0].Seq != 2 || misses[1].Seq != 3 {
		t.Fatalf("misses = %+v, %v", misses, err)
	}
	if _, err := svc.Misses(staff(mall, auth.RoleMaintenance), mall, local(0, 0), local(23, 0)); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("maintenance saw misses: %v", err)
	}
	check(local(21, 0), 3) // the evening round: nothing scanned
}
