package resolvers_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
)

// TestReportsAuthorization: every report query answers its roles at the mall, and
// another mall's or group's staff, a wrong role, a shopper and a tenant get nothing.
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
		{"memberMonthReport", `query($m: ID!) { r: memberMonthReport` + months + ` { name columns { key title kind } rows asOf readReplica } }`,
			[]auth.Role{auth.RoleMemberOps}, auth.RoleMaintenance},
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
		{"bookingUtilisationReport", `query($m: ID!) { r: bookingUtilisationReport` + months + ` { name rows readReplica replicaLagMs } }`,
			[]auth.Role{auth.RoleMemberOps}, auth.RoleMaintenance},
		{"workOrderSlaReport", `query($m: ID!) { r: workOrderSlaReport` + months + ` { name rows readReplica } }`,
			[]auth.Role{auth.RoleMaintenance, auth.RoleSupervisor}, auth.RoleMemberOps},
		{"energyUseReport", `query($m: ID!) { r: energyUseReport` + months + ` { name rows readReplica } }`,
			[]auth.Role{auth.RoleMaintenance, auth.RoleSupervisor}, auth.RoleLeasing},
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
				"another mall's admin":  a.as(auth.RoleAdmin, a.other),
				"another group's admin": servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, uuid.New())),
				"wrong role":            a.as(q.wrong, a.mall),
				"shopper":               shopper,
				"tenant":                tenant,
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

// TestGroupPointsReportAuthorization: the group-wide points liability answers staff
// granted at the group (admin, finance, member operations); a mall's admin, another
// group's admin, a wrong role, a shopper and a tenant get nothing.
func TestGroupPointsReportAuthorization(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t)
	q := `query($g: ID!) { r: groupPointsLiabilityReport(groupId: $g, from: "2026-10", to: "2026-11") { name rows readReplica replicaLagMs } }`
	vars := map[string]any{"g": relay.ID("Group", a.group)}
	atGroup := func(role auth.Role, group uuid.UUID) context.Context {
		return servicetest.Context(servicetest.Staff(role, auth.LevelGroup, group))
	}
	for _, role := range []auth.Role{auth.RoleAdmin, auth.RoleFinance, auth.RoleMemberOps} {
		out := a.Do(atGroup(role, a.group), q, vars)
		if field(out, "errors") != nil || field(out, "data", "r", "name") != "points_liability" {
			t.Errorf("%s: %v", role, mustJSON(out))
		}
	}
	denied := map[string]context.Context{
		"a mall's admin":        a.as(auth.RoleAdmin, a.mall),
		"another group's admin": atGroup(auth.RoleAdmin, uuid.New()),
		"wrong role":            atGroup(auth.RoleLeasing, a.group),
		"shopper":               servicetest.Context(servicetest.Shopper(uuid.New())),
		"tenant":                servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, uuid.New())),
	}
	for who, ctx := range denied {
		out := a.Do(ctx, q, vars)
		if field(out, "data") != nil || errorCode(out) != "FORBIDDEN" {
			t.Errorf("%s: %v", who, mustJSON(out))
		}
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

// TestEveryExportKindHasASource: each ExportKind of the schema (the reports' among them)
// is a registered export source, and every source is an ExportKind.
func TestEveryExportKindHasASource(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var kinds []string
	for _, k := range model.AllExportKind {
		kinds = append(kinds, strings.ToLower(string(k)))
	}
	slices.Sort(kinds)
	if got := a.Exports.Kinds(); !slices.Equal(got, kinds) {
		t.Fatalf("sources %q, schema kinds %q", got, kinds)
	}
}
