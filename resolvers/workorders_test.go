package resolvers_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/workorders"
)

// woFixture is two malls of one group, two merchants of the first, and the people who
// call: staff of each mall, the tenants' admins and shoppers.
type woFixture struct {
	opsAPI
	t                 *testing.T
	merchantA, merchB uuid.UUID
	callers           map[string]context.Context
	tenantA, tech     context.Context
}

func newWOFixture(t *testing.T) *woFixture {
	a := newOpsAPI(t)
	f := &woFixture{opsAPI: a, t: t, merchantA: uuid.New(), merchB: uuid.New()}
	if _, err := a.DB.Pool.Exec(context.Background(), `INSERT INTO merchants (id, mall_id, code, name) VALUES ($1, $3, 'A', 'Shop A'), ($2, $3, 'B', 'Shop B')`,
		f.merchantA, f.merchB, a.mall); err != nil {
		t.Fatal(err)
	}
	f.tenantA = servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, f.merchantA))
	f.tech = a.as(auth.RoleMaintenance, a.mall)
	f.callers = map[string]context.Context{
		"admin": a.as(auth.RoleAdmin, a.mall), "desk": a.as(auth.RoleServiceDesk, a.mall), "tech": f.tech,
		"tech2": a.as(auth.RoleMaintenance, a.mall), "otherTech": a.as(auth.RoleMaintenance, a.other),
		"otherAdmin": a.as(auth.RoleAdmin, a.other), "tenantA": f.tenantA,
		"tenantB": servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, f.merchB)),
		"shopper": servicetest.Context(servicetest.Shopper(uuid.New())),
		"anon":    context.Background(),
	}
	return f
}

// order raises an order as tenant A and walks it to status with the technician.
func (f *woFixture) order(status workorders.Status) uuid.UUID {
	f.t.Helper()
	o, err := f.WorkOrders.Raise(f.tenantA, workorders.RaiseInput{MallID: f.mall, MerchantID: &f.merchantA,
		Category: "plumbing", Description: "leak"})
	if err != nil {
		f.t.Fatal(err)
	}
	steps := map[workorders.Status][]func(context.Context, uuid.UUID) (workorders.Order, error){
		workorders.Open:       nil,
		workorders.Accepted:   {f.WorkOrders.Accept},
		workorders.InProgress: {f.WorkOrders.Accept, f.WorkOrders.Start},
		workorders.Waiting: {f.WorkOrders.Accept, f.WorkOrders.Start, func(ctx context.Context, id uuid.UUID) (workorders.Order, error) {
			return f.WorkOrders.Pause(ctx, id, workorders.WaitParts, "")
		}},
		workorders.Resolved: {f.WorkOrders.Accept, f.WorkOrders.Start, func(ctx context.Context, id uuid.UUID) (workorders.Order, error) {
			return f.WorkOrders.Resolve(ctx, id, "done")
		}},
	}
	for _, step := range steps[status] {
		if _, err := step(f.tech, o.ID); err != nil {
			f.t.Fatal(err)
		}
	}
	return o.ID
}

// outcome is "OK", the payload's first userError code or the first error's code.
func outcome(out map[string]any, op string) string {
	if c := errorCode(out); c != nil {
		return fmt.Sprint(c)
	}
	if ue, ok := field(out, "data", op, "userErrors").([]any); ok && len(ue) > 0 {
		return fmt.Sprint(field(ue[0], "code"))
	}
	return "OK"
}

const (
	nf, fb, un = "NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED"
	woFields   = `workOrder { id status }`
)

// TestWorkOrderAuthorization: every new operation × every kind of caller.
func TestWorkOrderAuthorization(t *testing.T) {
	t.Parallel()
	f := newWOFixture(t)
	m, other := relay.ID("Mall", f.mall), relay.ID("Mall", f.other)
	_ = other
	type op struct {
		name   string
		status workorders.Status // the order's status before the call ("": no order)
		query  string
		vars   func(id string) map[string]any
		want   map[string]string // caller → outcome
	}
	byID := func(id string) map[string]any { return map[string]any{"id": id} }
	worker := map[string]string{"admin": "OK", "desk": "OK", "tech": "OK", "tech2": "WORK_ORDER_NOT_ASSIGNEE",
		"otherTech": nf, "otherAdmin": nf, "tenantA": fb, "tenantB": fb, "shopper": fb, "anon": un}
	requester := map[string]string{"admin": "OK", "desk": "OK", "tech": fb, "tech2": fb, "otherTech": nf,
		"otherAdmin": nf, "tenantA": "OK", "tenantB": nf, "shopper": nf, "anon": un}
	staffRead := map[string]string{"admin": "OK", "desk": "OK", "tech": "OK", "tech2": "OK", "otherTech": fb,
		"otherAdmin": fb, "tenantA": fb, "tenantB": fb, "shopper": fb, "anon": un}
	adminOnly := map[string]string{"admin": "OK", "desk": fb, "tech": fb, "tech2": fb, "otherTech": fb,
		"otherAdmin": fb, "tenantA": fb, "tenantB": fb, "shopper": fb, "anon": un}
	ops := []op{
		{"workOrder", workorders.Open, `query($id: ID!) { workOrder(id: $id) { id sla { response { state } } history { kind } pauses { reason } } }`, byID,
			map[string]string{"admin": "OK", "desk": "OK", "tech": "OK", "tech2": "OK", "otherTech": nf, "otherAdmin": nf,
				"tenantA": "OK", "tenantB": nf, "shopper": nf, "anon": un}},
		{"workOrder.escalations", workorders.Open, `query($id: ID!) { workOrder(id: $id) { id escalations { clock level state toRole } } }`, byID,
			map[string]string{"admin": "OK", "desk": "OK", "tech": "OK", "tech2": "OK", "otherTech": nf, "otherAdmin": nf,
				"tenantA": fb, "tenantB": nf, "shopper": nf, "anon": un}},
		{"assignWorkOrder", workorders.Open, `mutation($id: ID!) { assignWorkOrder(id: $id) { ` + woFields + ` userErrors { code } } }`, byID,
			// no technician rows exist: an allowed caller meets NO_TECHNICIAN
			map[string]string{"admin": "NO_TECHNICIAN", "desk": "NO_TECHNICIAN", "tech": fb, "tech2": fb, "otherTech": fb,
				"otherAdmin": nf, "tenantA": fb, "tenantB": fb, "shopper": fb, "anon": un}},
		{"acceptWorkOrder", workorders.Open, `mutation($id: ID!) { acceptWorkOrder(id: $id) { ` + woFields + ` userErrors { code } } }`, byID,
			map[string]string{"admin": fb, "desk": fb, "tech": "OK", "tech2": "OK", "otherTech": nf, "otherAdmin": fb,
				"tenantA": fb, "tenantB": fb, "shopper": fb, "anon": un}},
		{"startWorkOrder", workorders.Accepted, `mutation($id: ID!) { startWorkOrder(id: $id) { ` + woFields + ` userErrors { code } } }`, byID, worker},
		{"pauseWorkOrder", workorders.InProgress, `mutation($id: ID!) { pauseWorkOrder(id: $id, reason: PARTS) { ` + woFields + ` userErrors { code } } }`, byID, worker},
		{"resumeWorkOrder", workorders.Waiting, `mutation($id: ID!) { resumeWorkOrder(id: $id) { ` + woFields + ` userErrors { code } } }`, byID, worker},
		{"resolveWorkOrder", workorders.InProgress, `mutation($id: ID!) { resolveWorkOrder(id: $id) { ` + woFields + ` userErrors { code } } }`, byID, worker},
		{"confirmWorkOrder", workorders.Resolved, `mutation($id: ID!) { confirmWorkOrder(id: $id, rating: 5) { ` + woFields + ` userErrors { code } } }`, byID, requester},
		{"reopenWorkOrder", workorders.Resolved, `mutation($id: ID!) { reopenWorkOrder(id: $id) { ` + woFields + ` userErrors { code } } }`, byID, requester},
		{"cancelWorkOrder", workorders.Open, `mutation($id: ID!) { cancelWorkOrder(id: $id) { ` + woFields + ` userErrors { code } } }`, byID,
			map[string]string{"admin": "OK", "desk": "OK", "tech": fb, "tech2": fb, "otherTech": nf, "otherAdmin": nf,
				"tenantA": "OK", "tenantB": nf, "shopper": nf, "anon": un}},
		{"addWorkOrderNote", workorders.Open, `mutation($id: ID!) { addWorkOrderNote(id: $id, note: "hi") { ` + woFields + ` userErrors { code } } }`, byID,
			map[string]string{"admin": "OK", "desk": "OK", "tech": "OK", "tech2": "OK", "otherTech": nf, "otherAdmin": nf,
				"tenantA": "OK", "tenantB": nf, "shopper": nf, "anon": un}},
		{"setWorkOrderPriority", workorders.Open, `mutation($id: ID!) { setWorkOrderPriority(id: $id, priority: URGENT) { ` + woFields + ` userErrors { code } } }`, byID,
			map[string]string{"admin": "OK", "desk": "OK", "tech": fb, "tech2": fb, "otherTech": fb, "otherAdmin": nf,
				"tenantA": fb, "tenantB": fb, "shopper": fb, "anon": un}},
		{"workOrders", "", `query($m: ID) { workOrders(mallId: $m) { edges { node { id } } } }`,
			func(string) map[string]any { return map[string]any{"m": m} },
			map[string]string{"admin": "OK", "desk": "OK", "tech": "OK", "tech2": "OK", "otherTech": fb, "otherAdmin": fb,
				"tenantA": "OK", "tenantB": "OK", "shopper": "OK", "anon": un}},
		{"raiseWorkOrder", "", `mutation($in: RaiseWorkOrderInput!) { raiseWorkOrder(input: $in) { ` + woFields + ` userErrors { code } } }`,
			func(string) map[string]any {
				return map[string]any{"in": map[string]any{"mallId": m, "merchantId": relay.ID("Merchant", f.merchantA),
					"category": "plumbing", "description": "leak"}}
			},
			map[string]string{"admin": "OK", "desk": "OK", "tech": "OK", "tech2": "OK", "otherTech": fb, "otherAdmin": fb,
				"tenantA": "OK", "tenantB": fb, "shopper": "INVALID_INPUT", "anon": un}},
		{"slaPolicies", "", `query($m: ID!) { slaPolicies(mallId: $m) { category priority responseSeconds } }`,
			func(string) map[string]any { return map[string]any{"m": m} }, staffRead},
		{"businessCalendar", "", `query($m: ID!) { businessCalendar(mallId: $m) { hours { weekday } holidays { date kind } } }`,
			func(string) map[string]any { return map[string]any{"m": m} }, staffRead},
		{"setSlaPolicy", "", `mutation($m: ID!) { setSlaPolicy(input: {mallId: $m, category: "plumbing", priority: NORMAL,
			responseSeconds: 600, resolutionSeconds: 7200}) { policies { category } userErrors { code } } }`,
			func(string) map[string]any { return map[string]any{"m": m} }, adminOnly},
		{"setHolidays", "", `mutation($m: ID!) { setHolidays(mallId: $m, year: 2026, days: [{date: "2026-10-01", name: "国庆节", kind: OFF}]) {
			calendar { holidays { date } } userErrors { code } } }`,
			func(string) map[string]any { return map[string]any{"m": m} }, adminOnly},
	}
	for _, o := range ops {
		for caller, want := range o.want {
			t.Run(o.name+"/"+caller, func(t *testing.T) {
				id := ""
				if o.status != "" {
					id = relay.ID("WorkOrder", f.order(o.status))
				}
				out := f.Do(f.callers[caller], o.query, o.vars(id))
				if got := outcome(out, o.name); got != want {
					t.Fatalf("%s as %s = %s, want %s: %v", o.name, caller, got, want, out)
				}
			})
		}
	}
}

// TestWorkOrderVisibility: tenants and shoppers see only their own orders, in lists and
// through node(id:).
func TestWorkOrderVisibility(t *testing.T) {
	t.Parallel()
	f := newWOFixture(t)
	mine := f.callers["shopper"]
	o, err := f.WorkOrders.Raise(mine, workorders.RaiseInput{MallID: f.mall, Category: "complaint", Description: "too loud"})
	if err != nil {
		t.Fatal(err)
	}
	f.order(workorders.Open)
	list := `query { workOrders { edges { node { id source } } } }`
	count := func(ctx context.Context) int {
		edges, _ := field(f.Do(ctx, list, nil), "data", "workOrders", "edges").([]any)
		return len(edges)
	}
	if n := count(mine); n != 1 {
		t.Fatalf("shopper sees %d", n)
	}
	if n := count(servicetest.Context(servicetest.Shopper(uuid.New()))); n != 0 {
		t.Fatalf("another shopper sees %d", n)
	}
	if n := count(f.tenantA); n != 1 {
		t.Fatalf("tenant A sees %d", n)
	}
	if n := count(f.callers["tenantB"]); n != 0 {
		t.Fatalf("tenant B sees %d", n)
	}
	node := `query($id: ID!) { node(id: $id) { id ... on WorkOrder { status } } }`
	gid := relay.ID("WorkOrder", o.ID)
	if out := f.Do(mine, node, map[string]any{"id": gid}); field(out, "data", "node", "status") != "OPEN" {
		t.Fatalf("own node: %v", out)
	}
	if out := f.Do(f.callers["tenantB"], node, map[string]any{"id": gid}); errorCode(out) != "NOT_FOUND" {
		t.Fatalf("tenant B node: %v", out)
	}
}
