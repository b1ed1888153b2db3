package resolvers_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
)

const (
	startExportQ = `mutation($kind: ExportKind!, $f: ExportFilter!) { startExport(kind: $kind, filter: $f) {
		export { id kind status rowsDone rowsTotal readFromReplica downloadUrl } userErrors { code field message } } }`
	exportQ       = `query($id: ID!) { export(id: $id) { id status downloadUrl } }`
	cancelExportQ = `mutation($id: ID!) { cancelExport(id: $id) { export { status } userErrors { code } } }`
	exportsQ      = `query($mall: ID!) { exports(mallId: $mall) { edges { node { id } } } }`
)

// TestExportsAuthorization: startExport needs the source's roles at the mall; an
// export is its creator's and the mall's admins'; another mall's staff, a shopper and
// a tenant get nothing.
func TestExportsAuthorization(t *testing.T) {
	t.Parallel()
	a := newOpsAPI(t)
	desk, desk2 := a.as(auth.RoleServiceDesk, a.mall), a.as(auth.RoleServiceDesk, a.mall)
	admin := a.as(auth.RoleAdmin, a.mall)
	mall := map[string]any{"mallId": relay.ID("Mall", a.mall)}
	shopper := servicetest.Context(&auth.Viewer{Kind: auth.KindShopper, ID: uuid.New()})
	tenant := servicetest.Context(servicetest.Staff(auth.RoleTenantAdmin, auth.LevelMerchant, uuid.New()))
	for _, tc := range []struct {
		name string
		ctx  context.Context
		kind string
		want string
	}{
		{"shopper", shopper, "MEMBERS", "FORBIDDEN"},
		{"tenant admin", tenant, "MEMBERS", "FORBIDDEN"},
		{"desk of another mall", a.as(auth.RoleServiceDesk, a.other), "MEMBERS", "FORBIDDEN"},
		{"maintenance: members", a.as(auth.RoleMaintenance, a.mall), "MEMBERS", "FORBIDDEN"},
		{"desk: bills", desk, "BILLS", "FORBIDDEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := a.Do(tc.ctx, startExportQ, map[string]any{"kind": tc.kind, "f": mall})
			if errorCode(out) != tc.want {
				t.Fatalf("got %v", out)
			}
		})
	}
	out := a.Do(desk, startExportQ, map[string]any{"kind": "MEMBERS", "f": mall})
	id, _ := field(out, "data", "startExport", "export", "id").(string)
	if id == "" || field(out, "data", "startExport", "export", "status") != "QUEUED" ||
		field(out, "data", "startExport", "export", "downloadUrl") != nil {
		t.Fatalf("start: %v", out)
	}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want any
	}{
		{"creator", desk, nil},
		{"admin of the mall", admin, nil},
		{"another desk of the mall", desk2, "NOT_FOUND"},
		{"desk of another mall", a.as(auth.RoleServiceDesk, a.other), "NOT_FOUND"},
		{"shopper", shopper, "FORBIDDEN"},
	} {
		t.Run("read/"+tc.name, func(t *testing.T) {
			if got := errorCode(a.Do(tc.ctx, exportQ, map[string]any{"id": id})); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	if n := len(field(a.Do(desk2, exportsQ, map[string]any{"mall": relay.ID("Mall", a.mall)}), "data", "exports", "edges").([]any)); n != 0 {
		t.Fatalf("another desk lists %d exports", n)
	}
	if got := errorCode(a.Do(desk2, cancelExportQ, map[string]any{"id": id})); got != "NOT_FOUND" {
		t.Fatalf("cancel by another desk: %v", got)
	}
	if out := a.Do(desk, cancelExportQ, map[string]any{"id": id}); field(out, "data", "cancelExport", "export", "status") != "CANCELLED" {
		t.Fatalf("cancel: %v", out)
	}
}
