package app_test

import (
	"context"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/org"
)

// otherMall adds mall OTHER to the demo group, with a service-desk account "desk2".
func (e *env) otherMall() org.Mall {
	e.t.Helper()
	ctx := context.Background()
	orgs := e.app.Services.Org
	g, err := orgs.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		e.t.Fatal(err)
	}
	ctx = auth.WithViewer(ctx, org.SystemViewer(g))
	m, err := orgs.CreateMall(ctx, org.CreateMallInput{GroupID: g.ID, Code: "OTHER", Name: "Other Mall"})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := orgs.CreateStaff(ctx, org.CreateStaffInput{Username: "desk2", Password: demoPassword,
		Grants: []auth.Grant{{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: m.ID}}}); err != nil {
		e.t.Fatal(err)
	}
	return m
}

const nodeQ = `query($id: ID!) { node(id: $id) { id ... on Mall { code } ... on Merchant { code mall { code } } } }`

func TestStaffOfOneMallCannotReadAnother(t *testing.T) {
	t.Parallel()
	e := setup(t)
	other := e.otherMall()
	demo, err := e.app.Services.Org.MallByCode(auth.WithViewer(t.Context(), &auth.Viewer{Kind: auth.KindShopper}), "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	desk, _ := e.login("desk")
	otherID, demoID := relay.ID("Mall", other.ID), relay.ID("Mall", demo.ID)

	if r := e.do(desk, nodeQ, map[string]any{"id": demoID}); path(r.Data, "node", "code") != "DEMO" {
		t.Fatalf("own mall: %+v", r)
	}
	if r := e.do(desk, nodeQ, map[string]any{"id": otherID}); r.code() != "FORBIDDEN" || path(r.Data, "node") != nil {
		t.Fatalf("other mall: want FORBIDDEN, got %+v", r)
	}
	if r := e.do(desk, `query($c: String!) { mall(code: $c) { code } }`, map[string]any{"c": "OTHER"}); r.code() != "FORBIDDEN" {
		t.Fatalf("other mall by code: %+v", r)
	}
	// The malls list shows only what is in scope; the group admin sees both.
	if r := e.do(desk, `{ malls { edges { node { code } } } }`, nil); len(path(r.Data, "malls", "edges").([]any)) != 1 {
		t.Fatalf("desk's malls: %+v", r)
	}
	admin, _ := e.login("admin")
	if r := e.do(admin, nodeQ, map[string]any{"id": otherID}); path(r.Data, "node", "code") != "OTHER" {
		t.Fatalf("admin: %+v", r)
	}
	// Unknown and malformed IDs.
	if r := e.do(admin, nodeQ, map[string]any{"id": "bm90LWFuLWlk"}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("malformed id: %+v", r)
	}
	if r := e.do(admin, nodeQ, map[string]any{"id": relay.ID("Mall", org.SystemViewer(org.Group{}).ID)}); r.code() != "NOT_FOUND" {
		t.Fatalf("unknown id: %+v", r)
	}
	if r := e.do("", nodeQ, map[string]any{"id": demoID}); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("anonymous: %+v", r)
	}
}

func TestMerchantStaffSeeTheirMerchantOnly(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cashier, _ := e.login("coffee.cashier")
	r := e.do(cashier, `{ malls { edges { node { code merchants(first: 10) { edges { node { id code } } } } } } }`, nil)
	edges, _ := path(r.Data, "malls", "edges").([]any)
	if len(edges) != 1 {
		t.Fatalf("cashier's malls: %+v", r)
	}
	var coffee, books string
	for _, m := range path(edges[0], "node", "merchants", "edges").([]any) {
		switch path(m, "node", "code") {
		case "COFFEE":
			coffee = path(m, "node", "id").(string)
		case "BOOKS":
			books = path(m, "node", "id").(string)
		}
	}
	if r := e.do(cashier, nodeQ, map[string]any{"id": coffee}); path(r.Data, "node", "mall", "code") != "DEMO" {
		t.Fatalf("own merchant: %+v", r)
	}
	if r := e.do(cashier, nodeQ, map[string]any{"id": books}); r.code() != "FORBIDDEN" {
		t.Fatalf("another merchant: %+v", r)
	}
}

const createStaffQ = `mutation($in: CreateStaffInput!) { createStaff(input: $in) {
	staff { username roles { role scopeLevel } } userErrors { code field message } } }`

func TestCreateStaffIsScoped(t *testing.T) {
	t.Parallel()
	e := setup(t)
	other := e.otherMall()
	desk, _ := e.login("desk")
	admin, _ := e.login("admin")
	in := map[string]any{"username": "newdesk", "password": "long-enough-pw",
		"roles": []any{map[string]any{"role": "SERVICE_DESK", "scopeId": relay.ID("Mall", other.ID)}}}
	if r := e.do(desk, createStaffQ, map[string]any{"in": in}); r.code() != "FORBIDDEN" {
		t.Fatalf("desk creating staff: %+v", r)
	}
	r := e.do(admin, createStaffQ, map[string]any{"in": in})
	if path(r.Data, "createStaff", "staff", "username") != "newdesk" {
		t.Fatalf("admin creating staff: %+v", r)
	}
	// Typed user errors, nothing written.
	for name, bad := range map[string]map[string]any{
		"USERNAME_TAKEN": in,
		"INVALID_INPUT": {"username": "x", "password": "long-enough-pw",
			"roles": []any{map[string]any{"role": "ADMIN", "scopeId": relay.ID("Mall", other.ID)}}},
	} {
		r := e.do(admin, createStaffQ, map[string]any{"in": bad})
		ue, _ := path(r.Data, "createStaff", "userErrors").([]any)
		if len(ue) != 1 || path(ue[0], "code") != name {
			t.Errorf("%s: %+v", name, r)
		}
	}
	// A mall admin cannot grant roles in another mall.
	mallAdmin := map[string]any{"username": "malladmin", "password": "long-enough-pw",
		"roles": []any{map[string]any{"role": "ADMIN", "scopeId": relay.ID("Mall", other.ID)}}}
	if r := e.do(admin, createStaffQ, map[string]any{"in": mallAdmin}); len(path(r.Data, "createStaff", "userErrors").([]any)) != 0 {
		t.Fatalf("create mall admin: %+v", r)
	}
	ma, _ := e.login2("malladmin", "long-enough-pw")
	demoMall, _ := e.app.Services.Org.MallByCode(auth.WithViewer(t.Context(), &auth.Viewer{Kind: auth.KindShopper}), "DEMO")
	in["username"], in["roles"] = "sneaky", []any{map[string]any{"role": "ADMIN", "scopeId": relay.ID("Mall", demoMall.ID)}}
	if r := e.do(ma, createStaffQ, map[string]any{"in": in}); r.code() != "FORBIDDEN" {
		t.Fatalf("mall admin granting in another mall: %+v", r)
	}
}

func TestMallsPagination(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.otherMall()
	admin, _ := e.login("admin")
	q := `query($a: String) { malls(first: 1, after: $a) { edges { cursor node { code } } pageInfo { hasNextPage endCursor } } }`
	r := e.do(admin, q, map[string]any{"a": nil})
	if path(r.Data, "malls", "pageInfo", "hasNextPage") != true {
		t.Fatalf("page 1: %+v", r)
	}
	cursor := path(r.Data, "malls", "pageInfo", "endCursor")
	r2 := e.do(admin, q, map[string]any{"a": cursor})
	first := path(r.Data, "malls", "edges").([]any)[0]
	second := path(r2.Data, "malls", "edges").([]any)[0]
	if path(r2.Data, "malls", "pageInfo", "hasNextPage") != false || path(first, "node", "code") == path(second, "node", "code") {
		t.Fatalf("page 2: %+v", r2)
	}
	if r := e.do(admin, `{ malls(first: 101) { pageInfo { hasNextPage } } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("first over the cap: %+v", r)
	}
	if r := e.do(admin, `{ malls(after: "garbage!") { edges { cursor } } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("bad cursor: %+v", r)
	}
}
