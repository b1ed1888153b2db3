package reports_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service/exports"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestReportFromReplica shows a report served by the streaming replica: with replay
// paused on the standby, a slot added on the primary afterwards is not in the booking
// utilisation report (it read the standby), and the report's metadata says it came
// from the replica, with its lag.
func TestReportFromReplica(t *testing.T) {
	primary, read := os.Getenv("ATRIUM_TEST_REPLICA_PRIMARY_URL"), os.Getenv("ATRIUM_TEST_REPLICA_READ_URL")
	if primary == "" || read == "" {
		t.Skip("no streaming replica: run scripts/replica.sh start and source .local/replica.env " +
			"(the machine's PostgreSQL accepts no replication connections, so the script starts a primary and " +
			"a pg_basebackup standby of its own)")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, primary)
	if err != nil {
		t.Fatalf("replica primary: %v", err)
	}
	defer admin.Close(ctx)
	name := storetest.RandomName("reports_replica_")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	on := func(url string) string { return strings.Replace(url, "/postgres?", "/"+name+"?", 1) }
	db, err := storage.OpenDB(ctx, on(primary))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if c, err := pgx.Connect(context.Background(), primary); err == nil {
			_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			_ = c.Close(context.Background())
		}
	})
	if err := storage.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	// The database reaches the standby by replication: wait (bounded) until it is there.
	deadline := time.Now().Add(30 * time.Second)
	for {
		probe := &storage.DB{}
		if err = probe.OpenRead(ctx, on(read)); err == nil {
			probe.Read.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby never showed the database: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	f := newFixtureOn(t, db, servicetest.Setting("ATRIUM_DATABASE_URL", on(primary)),
		servicetest.Setting("ATRIUM_DATABASE_READ_URL", on(read)))
	bookingsNovember(f)
	replica := f.set.App.DB
	storetest.CaughtUp(t, replica)
	if _, err := replica.Read.Exec(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	defer replica.Read.Exec(ctx, "SELECT pg_wal_replay_resume()") //nolint:errcheck
	// On the primary only, for now: a second Yoga slot of 7 seats.
	f.exec(`INSERT INTO booking_slots (id, resource_id, starts_at, ends_at, capacity, booked)
		SELECT $1, id, $2, $3, 7, 0 FROM booking_resources WHERE name = 'Yoga' AND mall_id = $4`,
		uuid.New(), local(2026, time.November, 11, 19, 0), local(2026, time.November, 11, 20, 0), f.mall)
	rep, err := f.set.Reports.Bookings(memberOps(f.mall), f.mall, rangeOf(t, "2026-11", "2026-11"))
	if err != nil {
		t.Fatal(err)
	}
	tb := rep.Table()
	want := []string{"month|2026-11|Lounge|3|25|5|3|20.0|12.0", "month|2026-11|Yoga|1|20|10|0|50.0|0.0"}
	if got := text(tb); len(got) < 2 || !slices.Equal(got[:2], want) || !tb.Read.Replica || tb.Read.Lag == nil {
		t.Fatalf("report %q read %+v: want the standby's rows (without the new slot), from the replica with its lag",
			got, tb.Read)
	}
	fmt.Printf("report served by the replica: lag %v\n", *tb.Read.Lag)
}

// TestReportExport exports the booking utilisation report (kind
// report_booking_utilisation) and reads the file back with excelize: the data sheet
// holds the report's rows, typed, and the summary sheet its monthly table with a
// native chart.
func TestReportExport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	bookingsNovember(f)
	// The job reads the creator's grants as stored: a member-operations staff of the mall
	// (org's rows, as the fixture writes the malls).
	staff := uuid.New()
	f.exec(`INSERT INTO staff (id, username, password_hash) VALUES ($1, $2, 'x')`, staff, storetest.RandomName("ops"))
	f.exec(`INSERT INTO staff_roles (staff_id, role, scope_level, scope_id) VALUES ($1, 'member_ops', 'mall', $2)`,
		staff, f.mall)
	ctx := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: staff,
		Grants: []auth.Grant{{Role: auth.RoleMemberOps, Level: auth.LevelMall, ScopeID: f.mall}}})
	e, err := f.set.Exports.Start(ctx, "report_booking_utilisation", exports.Filter{MallID: f.mall, Period: "2026-11"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.set.Exports.Execute(f.ctx, e.ID, true); err != nil {
		t.Fatal(err)
	}
	if e, err = f.set.Exports.Get(ctx, e.ID); err != nil || e.Status != exports.StatusDone || e.RowsDone != 5 {
		t.Fatalf("export %+v, %v: want DONE with 5 rows", e, err)
	}
	var key string
	if err := f.set.DB.Pool.QueryRow(f.ctx, `SELECT object_key FROM exports WHERE id = $1`, e.ID).Scan(&key); err != nil {
		t.Fatal(err)
	}
	r, err := f.set.Objects.Get(f.ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(r)
	_ = r.Close()
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("数据")
	if err != nil || len(rows) != 6 || rows[0][0] != "维度" || strings.Join(rows[1][:7], "|") != "month|2026-11|Lounge|3|25|5|3" {
		t.Fatalf("data sheet %q, %v: want the header and 5 rows", rows, err)
	}
	if pct, _ := x.GetCellValue("数据", "H2", excelize.Options{RawCellValue: true}); pct != "0.2" {
		t.Fatalf("booked rate cell %q: want the fraction 0.2", pct)
	}
	sum, err := x.GetRows("月度汇总")
	if err != nil || len(sum) != 2 || strings.Join(sum[1], "|") != "2026-11|45|15|3" {
		t.Fatalf("summary sheet %q, %v: want 2026-11 with 45 offered, 15 booked, 3 checked in", sum, err)
	}
	if !chartIn(t, body) {
		t.Fatal("no chart in the workbook")
	}
}

// chartIn reports whether the workbook has a chart part (xl/charts/chart1.xml).
func chartIn(t *testing.T, body []byte) bool {
	t.Helper()
	return strings.Contains(string(body), "xl/charts/chart1.xml")
}
