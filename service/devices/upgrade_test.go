package devices_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestUpgradeMovesEventsIntoPartitions: a database at the schema before partitioning
// (00037) holding events of three months is migrated: every event is in its month's
// partition with its outcome, each keeps its claim (a redelivery is still a
// duplicate), and a new event is claimed once.
func TestUpgradeMovesEventsIntoPartitions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := storage.OpenDB(ctx, storetest.EmptyDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := storage.MigrateTo(ctx, db, 37); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO org_groups (id, code, name) VALUES ('01a23373-975d-70a6-910d-c065b07f9161', 'G', 'G')`,
		`INSERT INTO malls (id, group_id, code, name, time_zone) VALUES ('01a23373-979a-7a08-ad98-341fcd85ebb1',
			'01a23373-975d-70a6-910d-c065b07f9161', 'M', 'M', 'Asia/Shanghai')`,
		`INSERT INTO devices (id, mall_id, type, password_hash) VALUES ('cam', '01a23373-979a-7a08-ad98-341fcd85ebb1',
			'face-camera', 'x')`,
		`INSERT INTO iot_events (device_id, event_id, kind, ts, outcome, processed_at) VALUES
			('cam', 'a', 'recognition', '2026-09-30 23:59:59+00', 'ok', '2026-09-30 23:59:59+00'),
			('cam', 'b', 'recognition', '2026-10-01 00:00:00+00', 'unknown_face', '2026-10-01 00:00:00+00'),
			('cam', 'c', 'recognition', '2020-01-01 00:00:00+00', 'ok', '2026-11-15 12:00:00+00')`,
	} {
		if _, err := db.Pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if err := storage.Migrate(ctx, db); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	rows, err := db.Pool.Query(ctx, `SELECT event_id || ':' || outcome || ':' || tableoid::regclass::text
		FROM iot_events ORDER BY event_id`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a:ok:iot_events_202609", "b:unknown_face:iot_events_202610", "c:ok:iot_events_202611"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("after the upgrade %v, want %v", got, want)
	}
	claim := func(id string) bool {
		var fresh bool
		at := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		if err := db.InTx(ctx, func(tx pgx.Tx) error {
			fresh, err = devices.Claim(ctx, tx, "cam", id, "recognition", at, at)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return fresh
	}
	if claim("a") || claim("b") || claim("c") {
		t.Fatal("an event processed before the upgrade was claimed again")
	}
	if !claim("d") || claim("d") {
		t.Fatal("a new event not claimed exactly once")
	}
}
