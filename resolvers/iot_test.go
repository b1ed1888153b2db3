package resolvers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/devices"
)

const recordReplacement = `mutation($in: RecordMeterReplacementInput!) { recordMeterReplacement(input: $in) {
	replacement { deviceId at oldFinal newStart note createdAt } userErrors { code field } } }`

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

func TestMeterReplacementGraphQL(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t)
	ctx := context.Background()
	if _, _, err := a.Devices.RegisterUnchecked(ctx, devices.NewDevice{ID: "m1", MallID: a.mall, Type: devices.Meter,
		MeterKind: "electricity", BindingRef: "L1-01"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Pool.Exec(ctx, `INSERT INTO meter_readings (device_id, read_at, value, event_id, received_at)
		VALUES ('m1', '2026-08-01T00:00:00Z', 100, 'e1', now()), ('m1', '2026-08-01T06:00:00Z', 120, 'e2', now())`); err != nil {
		t.Fatal(err)
	}
	admin := a.as(auth.RoleAdmin, a.mall)
	in := func(change func(map[string]any)) map[string]any {
		v := map[string]any{"deviceId": "m1", "at": "2026-08-01T07:00:00Z", "oldFinal": "121.5", "newStart": "0", "note": "new meter"}
		if change != nil {
			change(v)
		}
		return map[string]any{"in": v}
	}
	out := a.Do(admin, recordReplacement, in(nil))
	if field(out, "data", "recordMeterReplacement", "replacement", "oldFinal") != "121.5" ||
		field(out, "data", "recordMeterReplacement", "replacement", "at") != "2026-08-01T07:00:00Z" {
		t.Fatalf("recordMeterReplacement: %v", out)
	}
	created := field(out, "data", "recordMeterReplacement", "replacement", "createdAt")
	// The same replacement again (by maintenance staff) returns the recorded one.
	out = a.Do(a.as(auth.RoleMaintenance, a.mall), recordReplacement, in(nil))
	if field(out, "data", "recordMeterReplacement", "replacement", "createdAt") != created {
		t.Fatalf("repeat: %v", out)
	}
	// Consumption runs across the replacement: 100 → 121.5 on the old meter, then 0 → 4 on the new one.
	if _, err := a.DB.Pool.Exec(ctx, `INSERT INTO meter_readings (device_id, read_at, value, event_id, received_at)
		VALUES ('m1', '2026-08-01T08:00:00Z', 4, 'e3', now())`); err != nil {
		t.Fatal(err)
	}
	out = a.Do(admin, `{ meterConsumption(deviceId: "m1", from: "2026-08-01T00:00:00Z", to: "2026-08-01T08:00:00Z") { amount } }`, nil)
	if field(out, "data", "meterConsumption", "amount") != "25.5" {
		t.Errorf("consumption across the replacement: %v", out)
	}

	for want, vars := range map[string]map[string]any{
		"INVALID_INPUT input.newStart":          in(func(v map[string]any) { v["newStart"] = "-1" }),
		"INVALID_INPUT input.oldFinal":          in(func(v map[string]any) { v["oldFinal"] = "121.2345" }),
		"INVALID_INPUT input.at":                in(func(v map[string]any) { v["at"] = time.Now().Add(time.Hour).UTC().Format(time.RFC3339) }),
		"INVALID_INPUT input.note":              in(func(v map[string]any) { v["note"] = strings.Repeat("x", 501) }),
		"METER_REPLACEMENT_EXISTS input.at":     in(func(v map[string]any) { v["newStart"] = "1" }),
		"INVALID_INPUT input.oldFinal (before)": in(func(v map[string]any) { v["at"], v["oldFinal"] = "2026-08-01T07:30:00Z", "110" }),
	} {
		want, _, _ = strings.Cut(want, " (")
		if got := userError(a.Do(admin, recordReplacement, vars), "recordMeterReplacement"); got != want {
			t.Errorf("%v: want %s, got %s", vars, want, got)
		}
	}
	out = a.Do(admin, recordReplacement, in(func(v map[string]any) { v["deviceId"] = "nope" }))
	if errorCode(out) != "NOT_FOUND" {
		t.Errorf("unknown meter: %v", out)
	}

	// Wrong roles are FORBIDDEN; another mall's maintenance staff cannot see the meter.
	for _, role := range []auth.Role{auth.RoleSecurity, auth.RoleFinance} {
		out = a.Do(a.as(role, a.mall), recordReplacement, in(func(v map[string]any) { v["at"] = "2026-08-01T09:00:00Z" }))
		if errorCode(out) != "FORBIDDEN" {
			t.Errorf("%s: %v", role, out)
		}
	}
	out = a.Do(a.as(auth.RoleMaintenance, a.other), recordReplacement, in(func(v map[string]any) { v["at"] = "2026-08-01T09:00:00Z" }))
	if errorCode(out) != "NOT_FOUND" || field(out, "data") != nil {
		t.Errorf("other mall's maintenance: %v", out)
	}
	var n int
	if err := a.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM meter_replacements`).Scan(&n); err != nil || n != 1 {
		t.Errorf("replacements: %d, %v", n, err)
	}
}
