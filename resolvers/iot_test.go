package resolvers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func iotGQL(t *testing.T, gql http.Handler, ctx context.Context, query string, vars map[string]any) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	resolvers.LoaderMiddleware(gql).ServeHTTP(rec, req)
	var out map[string]any
	raw, _ := io.ReadAll(rec.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response %s: %v", raw, err)
	}
	return out
}

func iotField(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func TestIoTGraphQL(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	ctx := context.Background()
	group, mall := uuid.New(), uuid.New()
	if _, err := db.Pool.Exec(ctx, `INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G')`, group, storetest.RandomName("g")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, 'M1', 'Mall')`, mall, group); err != nil {
		t.Fatal(err)
	}
	orgs := org.New(org.Deps{DB: db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)})
	devs := devices.New(devices.Deps{DB: db, Org: orgs, Passwords: auth.NewPasswords(bcrypt.MinCost), Now: time.Now})
	gql := server.NewGraphQL(resolvers.Config(resolvers.Services{Org: orgs, Devices: devs,
		Meters: meters.New(meters.Deps{DB: db, Devices: devs, Now: time.Now}), Patrol: patrol.New(patrol.Deps{DB: db, Org: orgs, Now: time.Now})}),
		server.GraphQLOptions{Complexity: 1000, Depth: 12, Logger: slog.New(slog.DiscardHandler)})
	as := func(role auth.Role) context.Context {
		return auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
			Grants: []auth.Grant{{Role: role, Level: auth.LevelMall, ScopeID: mall}}})
	}
	admin := as(auth.RoleAdmin)
	m := relay.ID("Mall", mall)
	out := iotGQL(t, gql, admin, `mutation($m: ID!) { registerDevice(input: {mallId: $m, id: "meter-1", type: "meter",
		meterKind: "electricity", bindingRef: "L1-01"}) { device { id type bindingKind online } password userErrors { code field } } }`,
		map[string]any{"m": m})
	if iotField(out, "data", "registerDevice", "device", "bindingKind") != "unit" ||
		iotField(out, "data", "registerDevice", "password") == nil {
		t.Fatalf("registerDevice: %v", out)
	}
	out = iotGQL(t, gql, admin, `mutation($m: ID!) { registerDevice(input: {mallId: $m, id: "bad id", type: "meter"}) {
		device { id } userErrors { code field } } }`, map[string]any{"m": m})
	if iotField(out, "data", "registerDevice", "userErrors", 0, "code") != "INVALID_INPUT" {
		t.Fatalf("invalid device: %v", out)
	}
	out = iotGQL(t, gql, as(auth.RoleSecurity), `query($m: ID!) { devices(mallId: $m) { id enabled } }`, map[string]any{"m": m})
	if iotField(out, "data", "devices", 0, "id") != "meter-1" {
		t.Fatalf("devices: %v", out)
	}
	out = iotGQL(t, gql, admin, `mutation { setDeviceEnabled(id: "meter-1", enabled: false) { device { enabled } userErrors { code } } }`, nil)
	if iotField(out, "data", "setDeviceEnabled", "device", "enabled") != false {
		t.Fatalf("setDeviceEnabled: %v", out)
	}
	if err := devices.RecordDeadLetters(ctx, db.Pool, []devices.DeadLetter{{Topic: "atrium/M1/meter/meter-1/reading",
		Payload: []byte("{oops"), Reason: "malformed", DeviceID: "meter-1", MallID: &mall, ReceivedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	out = iotGQL(t, gql, admin, `query($m: ID!) { deadLetters(mallId: $m) { payload reason deviceId } deviceAlarms(mallId: $m) { id }
		meterConsumption(deviceId: "meter-1", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { amount partial }
		meterReadings(deviceId: "meter-1", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { value flag } }`,
		map[string]any{"m": m})
	if iotField(out, "data", "deadLetters", 0, "payload") != "{oops" ||
		iotField(out, "data", "meterConsumption", "amount") != "0" || iotField(out, "data", "meterConsumption", "partial") != true || iotField(out, "data", "meterReadings") == nil {
		t.Fatalf("queries: %v", out)
	}
	out = iotGQL(t, gql, as(auth.RoleMerchantStaff), `query($m: ID!) { devices(mallId: $m) { id } }`, map[string]any{"m": m})
	if iotField(out, "data") != nil && iotField(out, "data", "devices") != nil {
		t.Fatalf("merchant staff listed devices: %v", out)
	}
}

func TestVipArrivalsSubscription(t *testing.T) {
	t.Parallel()
	db := storetest.DB(t)
	rdb := storetest.Redis(t)
	ctx := context.Background()
	group, mall, member := uuid.New(), uuid.New(), uuid.New()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G')`, []any{group, storetest.RandomName("g")}},
		{`INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, 'M1', 'Mall')`, []any{mall, group}},
		{`INSERT INTO devices (id, mall_id, type, password_hash) VALUES ('c1', $1, 'face-camera', 'x')`, []any{mall}},
		{`INSERT INTO members (id, group_id, tags) VALUES ($1, $2, '{vip}')`, []any{member, group}},
		{`INSERT INTO member_faces (face_id, member_id, consent_at) VALUES ('F', $1, now())`, []any{member}},
	} {
		if _, err := db.Pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	orgs := org.New(org.Deps{DB: db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)})
	arr := newArrivals(t, db, rdb, orgs)
	cfg := resolvers.Config(resolvers.Services{Org: orgs, Arrivals: arr})
	sctx, cancel := context.WithCancel(auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleSecurity, Level: auth.LevelMall, ScopeID: mall}}}))
	defer cancel()
	ch, err := cfg.Resolvers.Subscription().VipArrivals(sctx, relay.ID("Mall", mall))
	if err != nil {
		t.Fatal(err)
	}
	var after func(context.Context)
	err = db.InTx(ctx, func(tx pgx.Tx) error {
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
