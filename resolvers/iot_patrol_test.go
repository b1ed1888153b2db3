package resolvers_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
)

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
	a := newOpsAPI(t)
	sec, m := a.as(auth.RoleSecurity, a.mall), relay.ID("Mall", a.mall)
	var cps []string
	for _, tag := range []string{"CP-1", "CP-2"} {
		out := a.Do(sec, createCheckpoint, map[string]any{"in": map[string]any{"mallId": m, "tag": tag, "place": "Gate " + tag}})
		id, _ := field(out, "data", "createPatrolCheckpoint", "checkpoint", "id").(string)
		if id == "" || field(out, "data", "createPatrolCheckpoint", "checkpoint", "mallId") != m {
			t.Fatalf("createPatrolCheckpoint: %v", out)
		}
		cps = append(cps, id)
	}
	route := map[string]any{"mallId": m, "name": "Night", "roundStarts": []int{1200, 60},
		"points": []map[string]any{{"checkpointId": cps[0], "fromMinute": 0, "toMinute": 15}, {"checkpointId": cps[1], "fromMinute": 10, "toMinute": 30}}}
	out := a.Do(a.as(auth.RoleAdmin, a.mall), createRoute, map[string]any{"in": route})
	if field(out, "data", "createPatrolRoute", "route", "points", 1, "checkpointId") != cps[1] ||
		field(out, "data", "createPatrolRoute", "route", "points", 1, "seq") != float64(2) {
		t.Fatalf("createPatrolRoute: %v", out)
	}
	routeID := field(out, "data", "createPatrolRoute", "route", "id")
	out = a.Do(sec, listPatrol, map[string]any{"m": m})
	if field(out, "data", "patrolCheckpoints", 1, "tag") != "CP-2" || field(out, "data", "patrolRoutes", 0, "id") != routeID ||
		field(out, "data", "patrolRoutes", 0, "roundStarts", 1) != float64(60) ||
		field(out, "data", "patrolRoutes", 0, "points", 0, "toMinute") != float64(15) {
		t.Fatalf("lists: %v", out)
	}

	// Typed userErrors; nothing half-written.
	out = a.Do(sec, createCheckpoint, map[string]any{"in": map[string]any{"mallId": m, "tag": "CP-1", "place": "again"}})
	if got := userError(out, "createPatrolCheckpoint"); got != "CHECKPOINT_TAG_EXISTS input.tag" {
		t.Errorf("duplicate tag: %s", got)
	}
	out = a.Do(sec, createCheckpoint, map[string]any{"in": map[string]any{"mallId": m, "tag": "CP-9", "place": " "}})
	if got := userError(out, "createPatrolCheckpoint"); got != "INVALID_INPUT input.place" {
		t.Errorf("no place: %s", got)
	}
	otherCP := a.Do(a.as(auth.RoleSecurity, a.other), createCheckpoint, map[string]any{"in": map[string]any{
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
			in["points"].([]map[string]any)[1]["checkpointId"] = field(otherCP, "data", "createPatrolCheckpoint", "checkpoint", "id")
		}),
	} {
		if got := userError(a.Do(sec, createRoute, map[string]any{"in": in}), "createPatrolRoute"); got != want {
			t.Errorf("want %s, got %s", want, got)
		}
	}
	var routes int
	if err := a.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM patrol_routes`).Scan(&routes); err != nil || routes != 1 {
		t.Errorf("routes after refused creations: %d, %v", routes, err)
	}
	out = a.Do(sec, `query { patrolRoutes(mallId: "nope") { id } }`, nil)
	if errorCode(out) != "BAD_USER_INPUT" {
		t.Errorf("bad mall id: %v", out)
	}

	// Wrong role, another mall's security: FORBIDDEN, nothing written.
	for name, ctx := range map[string]context.Context{
		"maintenance":           a.as(auth.RoleMaintenance, a.mall),
		"other mall's security": a.as(auth.RoleSecurity, a.other),
	} {
		out = a.Do(ctx, createCheckpoint, map[string]any{"in": map[string]any{"mallId": m, "tag": "F-1", "place": "x"}})
		if errorCode(out) != "FORBIDDEN" {
			t.Errorf("%s creating a checkpoint: %v", name, out)
		}
		out = a.Do(ctx, createRoute, map[string]any{"in": route})
		if errorCode(out) != "FORBIDDEN" {
			t.Errorf("%s creating a route: %v", name, out)
		}
		out = a.Do(ctx, listPatrol, map[string]any{"m": m})
		if errorCode(out) != "FORBIDDEN" || field(out, "data") != nil {
			t.Errorf("%s listing: %v", name, out)
		}
	}
	out = a.Do(sec, listPatrol, map[string]any{"m": m})
	if l, _ := field(out, "data", "patrolCheckpoints").([]any); len(l) != 2 {
		t.Errorf("checkpoints after refused creations: %v", out)
	}
}
