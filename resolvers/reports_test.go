package resolvers_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
)

// TestReportsAuthorization: every report query answers its roles at the mall, and
// another mall's staff, a wrong role, a shopper and a tenant get nothing.
func TestReportsAuthorization(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t)
	mall := relay.ID("Mall", a.mall)
	months := `(mallId: $m, from: "2026-10", to: "2026-11")`
	queries := []struct {
		name, query string
		roles       []auth.Role // allowed besides ADMIN and FINANCE
		wrong       auth.Role
	}{
		{"memberCardReport", `query($m: ID!) { r: memberCardReport` + months + ` { name columns { key title kind } rows asOf } }`,
			[]auth.Role{auth.RoleMemberOps}, auth.RoleLeasing},
		{"consumptionReport", `query($m: ID!) { r: consumptionReport` + months + ` { name columns { key } rows asOf } }`,
			[]auth.Role{auth.RoleMemberOps}, auth.RoleMaintenance},
		{"pointsLiabilityReport", `query($m: ID!) { r: pointsLiabilityReport` + months + ` { name rows asOf } }`,
			[]auth.Role{auth.RoleMemberOps}, auth.RoleServiceDesk},
		{"couponPerformanceReport", `query($m: ID!) { r: couponPerformanceReport(mallId: $m) { name rows } }`,
			[]auth.Role{auth.RoleMemberOps}, auth.RoleLeasing},
		{"occupancyReport", `query($m: ID!) { r: occupancyReport(mallId: $m) { name rows } }`,
			[]auth.Role{auth.RoleLeasing}, auth.RoleMemberOps},
		{"leasingPipelineReport", `query($m: ID!) { r: leasingPipelineReport` + months + ` { name rows } }`,
			[]auth.Role{auth.RoleLeasing}, auth.RoleMaintenance},
		{"arrearsAgeingReport", `query($m: ID!) { r: arrearsAgeingReport(mallId: $m) { name rows } }`,
			nil, auth.RoleLeasing},
		{"patrolComplianceReport", `query($m: ID!) { r: patrolComplianceReport` + months + ` { name rows } }`,
			[]auth.Role{auth.RoleMaintenance, auth.RoleSupervisor}, auth.RoleSecurity},
	}
	shopper := servicetest.Context(servicetest.Shopper(uuid.New()))
	tenant := servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, uuid.New()))
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			t.Parallel()
			for _, role := range append([]auth.Role{auth.RoleAdmin, auth.RoleFinance}, q.roles...) {
				out := a.Do(a.as(role, a.mall), q.query, map[string]any{"m": mall})
				if field(out, "errors") != nil || field(out, "data", "r", "name") == nil {
					t.Errorf("%s: %v", role, mustJSON(out))
				}
			}
			denied := map[string]context.Context{
				"another mall's admin": a.as(auth.RoleAdmin, a.other),
				"wrong role":           a.as(q.wrong, a.mall),
				"shopper":              shopper,
				"tenant":               tenant,
			}
			for who, ctx := range denied {
				out := a.Do(ctx, q.query, map[string]any{"m": mall})
				if field(out, "data") != nil || errorCode(out) != "FORBIDDEN" {
					t.Errorf("%s: %v", who, mustJSON(out))
				}
			}
		})
	}
}

func TestReportsRangeIsChecked(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t)
	out := a.Do(a.as(auth.RoleAdmin, a.mall), `query($m: ID!) { consumptionReport(mallId: $m, from: "2026-11", to: "2026-1") { name } }`,
		map[string]any{"m": relay.ID("Mall", a.mall)})
	if field(out, "errors", 0, "extensions", "reason") != "INVALID_INPUT" {
		t.Errorf("%v", mustJSON(out))
	}
}
