package app_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/org"
)

const unlockQ = `mutation($id: ID!, $r: String!) { unlockStaffLogin(input: {staffId: $id, reason: $r}) {
	staff { username } userErrors { code field } } }`

// TestAdminUnlocksStaffLogin: a locked-out staff account is unlocked by an admin over
// its scope (audited, with the reason); an admin of another group, staff of another
// role or mall, a cashier, a shopper and nobody get FORBIDDEN or UNAUTHENTICATED and
// the account stays locked.
func TestAdminUnlocksStaffLogin(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	orgs := e.app.Services.Org
	// An admin of another group.
	g, err := orgs.Bootstrap(ctx, "ELSE", "Another Group")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orgs.CreateStaff(auth.WithViewer(ctx, org.SystemViewer(g)), org.CreateStaffInput{Username: "else.admin",
		Password: demoPassword, Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: g.ID}}}); err != nil {
		t.Fatal(err)
	}
	e.otherMall() // desk2: service desk of another mall of the demo group
	otherAdmin, _ := e.login("else.admin")
	desk2, _ := e.login("desk2")
	cashier, _ := e.login("coffee.cashier")
	ops, _ := e.login("ops")
	admin, _ := e.login("admin")

	cred, err := orgs.Credentials(ctx, "desk")
	if err != nil {
		t.Fatal(err)
	}
	deskID := relay.ID("Staff", cred.ID)
	for range 5 {
		e.do("", loginStaffQ, map[string]any{"u": "desk", "p": "wrong-password"})
	}
	locked := func() bool {
		r := e.do("", loginStaffQ, map[string]any{"u": "desk", "p": demoPassword})
		errs, _ := path(r.Data, "loginStaff", "userErrors").([]any)
		return len(errs) == 1 && path(errs[0], "code") == "ACCOUNT_LOCKED"
	}
	if !locked() {
		t.Fatal("desk is not locked after 5 wrong passwords")
	}
	vars := map[string]any{"id": deskID, "r": "owner called the service desk"}
	for name, token := range map[string]string{"another group's admin": otherAdmin, "another mall's desk": desk2,
		"a cashier": cashier, "member ops of the mall": ops} {
		if r := e.do(token, unlockQ, vars); r.code() != "FORBIDDEN" || path(r.Data, "unlockStaffLogin") != nil {
			t.Fatalf("%s: want FORBIDDEN, got %+v", name, r)
		}
	}
	if r := e.do("", unlockQ, vars); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("anonymous: %+v", r)
	}
	if !locked() {
		t.Fatal("a refused unlock unlocked desk")
	}
	if r := e.do(admin, unlockQ, map[string]any{"id": deskID, "r": " "}); path(r.Data, "unlockStaffLogin", "userErrors", 0, "field", 1) != "reason" {
		t.Fatalf("empty reason: %+v", r)
	}
	r := e.do(admin, unlockQ, vars)
	if path(r.Data, "unlockStaffLogin", "staff", "username") != "desk" || len(r.Errors) > 0 {
		t.Fatalf("admin's unlock: %+v", r)
	}
	e.login("desk") // unlocked
	entries, err := audit.Of(ctx, e.app.DB.Pool, "staff", cred.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "staff.login_unlock" || entries[0].Reason != "owner called the service desk" ||
		entries[0].ActorKind != string(auth.KindStaff) {
		t.Fatalf("audit entries: %+v", entries)
	}
}
