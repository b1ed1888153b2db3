package resolvers_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// opsAPI serves the IoT schema over two malls of one group.
type opsAPI struct {
	t           *testing.T
	db          *storage.DB
	gql         http.Handler
	group       uuid.UUID
	mall, other uuid.UUID
}

func newOpsAPI(t *testing.T, extra func(*resolvers.Services, *storage.DB)) opsAPI {
	t.Helper()
	a := opsAPI{t: t, db: storetest.DB(t), group: uuid.New(), mall: uuid.New(), other: uuid.New()}
	ctx := context.Background()
	if _, err := a.db.Pool.Exec(ctx, `INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'G')`, a.group, storetest.RandomName("g")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Pool.Exec(ctx, `INSERT INTO malls (id, group_id, code, name) VALUES ($1, $3, 'M1', 'Mall'), ($2, $3, 'M2', 'Other')`,
		a.mall, a.other, a.group); err != nil {
		t.Fatal(err)
	}
	orgs := org.New(org.Deps{DB: a.db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)})
	devs := devices.New(devices.Deps{DB: a.db, Org: orgs, Passwords: auth.NewPasswords(0), Now: time.Now})
	s := resolvers.Services{Org: orgs, Devices: devs, Meters: meters.New(meters.Deps{DB: a.db, Devices: devs, Now: time.Now}),
		Patrol: patrol.New(patrol.Deps{DB: a.db, Org: orgs, Now: time.Now})}
	if extra != nil {
		extra(&s, a.db)
	}
	a.gql = server.NewGraphQL(resolvers.Config(s), server.GraphQLOptions{Complexity: 1000, Depth: 12, Logger: slog.New(slog.DiscardHandler)})
	return a
}

// as is a staff viewer with role over mall.
func (a opsAPI) as(role auth.Role, mall uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: role, Level: auth.LevelMall, ScopeID: mall}}})
}

func (a opsAPI) do(ctx context.Context, query string, vars map[string]any) map[string]any {
	a.t.Helper()
	return iotGQL(a.t, a.gql, ctx, query, vars)
}

// userError returns the single userError of a payload as "CODE field.path", or the response.
func userError(out map[string]any, path ...any) string {
	ue, _ := iotField(out, append(append([]any{"data"}, path...), "userErrors")...).([]any)
	if len(ue) != 1 {
		return mustMarshal(out)
	}
	return iotField(ue[0], "code").(string) + " " + strings.Join(fields(iotField(ue[0], "field")), ".")
}

// errorCode returns the first error's extensions.code.
func errorCode(out map[string]any) any { return iotField(out, "errors", 0, "extensions", "code") }

const (
	createCheckpoint = `mutation($in: CreatePatrolCheckpointInput!) { createPatrolCheckpoint(input: $in) {
		checkpoint { id mallId tag place } userErrors { code field } } }`
	createRoute = `mutation($in: CreatePatrolRouteInput!) { createPatrolRoute(input: $in) {
		route { id name roundStarts points { seq checkpointId fromMinute toMinute } } userErrors { code field } } }`
	listPatrol = `query($m: ID!) { patrolCheckpoints(mallId: $m) { id tag place } patrolRoutes(mallId: $m) { id name roundStarts
		points { seq checkpointId fromMinute toMinute } } }`
)

func TestPatrolGraphQL(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t, nil)
	sec, m := a.as(auth.RoleSecurity, a.mall), relay.ID("Mall", a.mall)
	var cps []string
	for _, tag := range []string{"CP-1", "CP-2"} {
		out := a.do(sec, createCheckpoint, map[string]any{"in": map[string]any{"mallId": m, "tag": tag, "place": "Gate " + tag}})
		id, _ := iotField(out, "data", "createPatrolCheckpoint", "checkpoint", "id").(string)
		if id == "" || iotField(out, "data", "createPatrolCheckpoint", "checkpoint", "mallId") != m {
			t.Fatalf("createPatrolCheckpoint: %v", out)
		}
		cps = append(cps, id)
	}
	route := map[string]any{"mallId": m, "name": "Night", "roundStarts": []int{1200, 60},
		"points": []map[string]any{{"checkpointId": cps[0], "fromMinute": 0, "toMinute": 15}, {"checkpointId": cps[1], "fromMinute": 10, "toMinute": 30}}}
	out := a.do(a.as(auth.RoleAdmin, a.mall), createRoute, map[string]any{"in": route})
	if iotField(out, "data", "createPatrolRoute", "route", "points", 1, "checkpointId") != cps[1] ||
		iotField(out, "data", "createPatrolRoute", "route", "points", 1, "seq") != float64(2) {
		t.Fatalf("createPatrolRoute: %v", out)
	}
	routeID := iotField(out, "data", "createPatrolRoute", "route", "id")
	out = a.do(sec, listPatrol, map[string]any{"m": m})
	if iotField(out, "data", "patrolCheckpoints", 1, "tag") != "CP-2" || iotField(out, "data", "patrolRoutes", 0, "id") != routeID ||
		iotField(out, "data", "patrolRoutes", 0, "roundStarts", 1) != float64(60) ||
		iotField(out, "data", "patrolRoutes", 0, "points", 0, "toMinute") != float64(15) {
		t.Fatalf("lists: %v", out)
	}

	// Typed userErrors; nothing half-written.
	out = a.do(sec, createCheckpoint, map[string]any{"in": map[string]any{"mallId": m, "tag": "CP-1", "place": "again"}})
	if got := userError(out, "createPatrolCheckpoint"); got != "CHECKPOINT_TAG_EXISTS input.tag" {
		t.Errorf("duplicate tag: %s", got)
	}
	out = a.do(sec, createCheckpoint, map[string]any{"in": map[string]any{"mallId": m, "tag": "CP-9", "place": " "}})
	if got := userError(out, "createPatrolCheckpoint"); got != "INVALID_INPUT input.place" {
		t.Errorf("no place: %s", got)
	}
	otherCP := a.do(a.as(auth.RoleSecurity, a.other), createCheckpoint, map[string]any{"in": map[string]any{
		"mallId": relay.ID("Mall", a.other), "tag": "X", "place": "Other mall"}})
	bad := func(change func(map[string]any)) map[string]any {
		in := map[string]any{"mallId": m, "name": "Day", "roundStarts": []int{480},
			"points": []map[string]any{{"checkpointId": cps[0], "fromMinute": 0, "toMinute": 15},
				{"checkpointId": cps[1], "fromMinute": 10, "toMinute": 30}}}
		change(in)
		return in
	}
	for want, in := range map[string]map[string]any{
		"INVALID_INPUT input.name":                  bad(func(in map[string]any) { in["name"] = "" }),
		"INVALID_INPUT input.roundStarts.0":         bad(func(in map[string]any) { in["roundStarts"] = []int{1440} }),
		"INVALID_INPUT input.roundStarts.1":         bad(func(in map[string]any) { in["roundStarts"] = []int{60, 60} }),
		"INVALID_INPUT input.points":                bad(func(in map[string]any) { in["points"] = []map[string]any{} }),
		"INVALID_INPUT input.points.1":              bad(func(in map[string]any) { in["points"].([]map[string]any)[1]["fromMinute"] = 40 }),
		"INVALID_INPUT input.points.0.checkpointId": bad(func(in map[string]any) { in["points"].([]map[string]any)[0]["checkpointId"] = "nope" }),
		"INVALID_INPUT input.mallId":                bad(func(in map[string]any) { in["mallId"] = "nope" }),
		"INVALID_INPUT input.points.1.checkpointId": bad(func(in map[string]any) {
			in["points"].([]map[string]any)[1]["checkpointId"] = iotField(otherCP, "data", "createPatrolCheckpoint", "checkpoint", "id")
		}),
	} {
		if got := userError(a.do(sec, createRoute, map[string]any{"in": in}), "createPatrolRoute"); got != want {
			t.Errorf("want %s, got %s", want, got)
		}
	}
	var routes int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM patrol_routes`).Scan(&routes); err != nil || routes != 1 {
		t.Errorf("routes after refused creations: %d, %v", routes, err)
	}
	out = a.do(sec, `query { patrolRoutes(mallId: "nope") { id } }`, nil)
	if errorCode(out) != "BAD_USER_INPUT" {
		t.Errorf("bad mall id: %v", out)
	}

	// Wrong role, another mall's security: FORBIDDEN, nothing written.
	for name, ctx := range map[string]context.Context{
		"maintenance":           a.as(auth.RoleMaintenance, a.mall),
		"other mall's security": a.as(auth.RoleSecurity, a.other),
	} {
		out = a.do(ctx, createCheckpoint, map[string]any{"in": map[string]any{"mallId": m, "tag": "F-1", "place": "x"}})
		if errorCode(out) != "FORBIDDEN" {
			t.Errorf("%s creating a checkpoint: %v", name, out)
		}
		out = a.do(ctx, createRoute, map[string]any{"in": route})
		if errorCode(out) != "FORBIDDEN" {
			t.Errorf("%s creating a route: %v", name, out)
		}
		out = a.do(ctx, listPatrol, map[string]any{"m": m})
		if errorCode(out) != "FORBIDDEN" || iotField(out, "data") != nil {
			t.Errorf("%s listing: %v", name, out)
		}
	}
	out = a.do(sec, listPatrol, map[string]any{"m": m})
	if l, _ := iotField(out, "data", "patrolCheckpoints").([]any); len(l) != 2 {
		t.Errorf("checkpoints after refused creations: %v", out)
	}
}
