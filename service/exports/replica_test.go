package exports_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/calendar/calendartest"
	"github.com/atrium-mall/atrium/service/exports"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// replicaDB creates a database of the test's own on the replica pair scripts/replica.sh
// starts, migrates it on the primary and opens the read pool on the standby; it skips
// when no replica is configured.
func replicaDB(t *testing.T) *storage.DB {
	t.Helper()
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
	name := storetest.RandomName("exports_replica_")
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
		if err = db.OpenRead(ctx, on(read)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the standby never showed the database: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return db
}

// TestExportFromReplica shows an export served by the streaming replica: with replay
// paused on the standby, a member registered on the primary afterwards is not in the
// export (it read the standby), and the export's metadata says it came from the
// replica with its lag.
func TestExportFromReplica(t *testing.T) {
	db := replicaDB(t)
	base := servicetest.Base{DB: db, Redis: storetest.Redis(t), Clock: calendartest.NewClock(start),
		Org: orgtest.Service(db), Ledger: ledger.New(ledger.Deps{DB: db, Now: time.Now})}
	f := setupOn(t, base)
	f.registerMembers(t, 3)
	storetest.CaughtUp(t, db)
	ctx := context.Background()
	if _, err := db.Read.Exec(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	defer db.Read.Exec(ctx, "SELECT pg_wal_replay_resume()") //nolint:errcheck
	f.registerMembers(t, 1)                                  // on the primary only, for now
	e, err := f.svc.Start(f.desk, "members", exports.Filter{MallID: f.org.MallID})
	if err != nil {
		t.Fatal(err)
	}
	if e = f.run(t, f.desk, e.ID); e.Status != exports.StatusDone {
		t.Fatalf("%+v", e)
	}
	if !e.ReadReplica || e.ReplicaLag == nil || e.RowsDone != 3 || *e.RowsTotal != 3 {
		t.Fatalf("export %+v (lag %v): want 3 rows read from the paused replica", e, e.ReplicaLag)
	}
	x := f.download(t, f.desk, e.ID)
	rows, _ := x.GetRows("数据")
	if len(rows) != 4 {
		t.Fatalf("%d rows in the file, want the header and 3", len(rows))
	}
	fmt.Printf("export served by the replica: %d rows, lag %v\n", e.RowsDone, *e.ReplicaLag)
}
