package resolvers_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/devices"
)

func TestIoTGraphQL(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t)
	ctx, db, mall := context.Background(), a.DB, a.mall
	as := func(role auth.Role) context.Context { return a.as(role, mall) }
	admin := as(auth.RoleAdmin)
	m := relay.ID("Mall", mall)
	out := a.Do(admin, `mutation($m: ID!) { registerDevice(input: {mallId: $m, id: "meter-1", type: "meter",
		meterKind: "electricity", bindingRef: "L1-01"}) { device { id type bindingKind online } password userErrors { code field } } }`,
		map[string]any{"m": m})
	if field(out, "data", "registerDevice", "device", "bindingKind") != "unit" ||
		field(out, "data", "registerDevice", "password") == nil {
		t.Fatalf("registerDevice: %v", out)
	}
	out = a.Do(admin, `mutation($m: ID!) { registerDevice(input: {mallId: $m, id: "bad id", type: "meter"}) {
		device { id } userErrors { code field } } }`, map[string]any{"m": m})
	if field(out, "data", "registerDevice", "userErrors", 0, "code") != "INVALID_INPUT" {
		t.Fatalf("invalid device: %v", out)
	}
	out = a.Do(as(auth.RoleSecurity), `query($m: ID!) { devices(mallId: $m) { id enabled } }`, map[string]any{"m": m})
	if field(out, "data", "devices", 0, "id") != "meter-1" {
		t.Fatalf("devices: %v", out)
	}
	out = a.Do(admin, `mutation { setDeviceEnabled(id: "meter-1", enabled: false) { device { enabled } userErrors { code } } }`, nil)
	if field(out, "data", "setDeviceEnabled", "device", "enabled") != false {
		t.Fatalf("setDeviceEnabled: %v", out)
	}
	if err := devices.RecordDeadLetters(ctx, db.Pool, []devices.DeadLetter{{Topic: "atrium/M1/meter/meter-1/reading",
		Payload: []byte("{oops"), Reason: "malformed", DeviceID: "meter-1", MallID: &mall, ReceivedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	out = a.Do(admin, `query($m: ID!) { deadLetters(mallId: $m) { payload reason deviceId } deviceAlarms(mallId: $m) { id }
		meterConsumption(deviceId: "meter-1", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { amount partial }
		meterReadings(deviceId: "meter-1", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { value flag } }`,
		map[string]any{"m": m})
	if field(out, "data", "deadLetters", 0, "payload") != "{oops" ||
		field(out, "data", "meterConsumption", "amount") != "0" || field(out, "data", "meterConsumption", "partial") != true || field(out, "data", "meterReadings") == nil {
		t.Fatalf("queries: %v", out)
	}
	out = a.Do(as(auth.RoleMerchantStaff), `query($m: ID!) { devices(mallId: $m) { id } }`, map[string]any{"m": m})
	if field(out, "data") != nil && field(out, "data", "devices") != nil {
		t.Fatalf("merchant staff listed devices: %v", out)
	}
}

func TestVipArrivalsSubscription(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t)
	ctx, mall, member := context.Background(), a.mall, uuid.New()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO devices (id, mall_id, type, password_hash) VALUES ('c1', $1, 'face-camera', 'x')`, []any{mall}},
		{`INSERT INTO members (id, group_id, tags) VALUES ($1, $2, '{vip}')`, []any{member, a.group}},
		{`INSERT INTO member_faces (face_id, member_id, consent_at) VALUES ('F', $1, now())`, []any{member}},
	} {
		if _, err := a.DB.Pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	arr, cfg := a.Arrivals, resolvers.Config(a.Services)
	sctx, cancel := context.WithCancel(a.as(auth.RoleSecurity, mall))
	defer cancel()
	ch, err := cfg.Resolvers.Subscription().VipArrivals(sctx, relay.ID("Mall", mall))
	if err != nil {
		t.Fatal(err)
	}
	var after func(context.Context)
	err = a.DB.InTx(ctx, func(tx pgx.Tx) error {
		_, after, err = arr.RecognizeTx(ctx, tx, arrivals.Recognition{MallID: mall, DeviceID: "c1", Entrance: "North",
			EventID: "e1", FaceID: "F", At: time.Now()})
		return err
	})
	if err != nil || after == nil {
		t.Fatalf("recognize: %v", err)
	}
	after(ctx)
	select {
	case a := <-ch:
		if a.MemberID != relay.ID("Member", member) || a.Entrance != "North" {
			t.Fatalf("arrival = %+v", a)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no VIP arrival")
	}
}
