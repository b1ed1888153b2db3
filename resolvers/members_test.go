package resolvers_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
)

const registerMember = `mutation($in: RegisterMemberInput!) { registerMember(input: $in) {
	member { id phone gender birthday registered group { code } } userErrors { code field } } }`

func TestMembersGraphQL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake, wechat := servicetest.FakeWeChat(t)
	a := newAPI(t, wechat)
	db, objs := a.DB, a.Objects

	group, mall, shopper := service.NewID(), service.NewID(), service.NewID()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO org_groups (id, code, name) VALUES ($1, 'G', 'G')`, []any{group}},
		{`INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, 'M', 'M')`, []any{mall, group}},
		{`INSERT INTO members (id, openid) VALUES ($1, 'o1')`, []any{shopper}},
	} {
		if _, err := db.Pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	me, ops := servicetest.Shopper(shopper), servicetest.Staff(auth.RoleMemberOps, auth.LevelGroup, group)
	fake.SetPhone("pc", "13912340000")

	out := a.As(me, registerMember, map[string]any{"in": map[string]any{"mallId": relay.ID("Mall", mall), "phoneCode": "pc",
		"profile": map[string]any{"name": "Li", "gender": "FEMALE", "birthday": "1990-02-03"}}})
	m := field(out, "data", "registerMember", "member")
	if field(m, "phone") != "13912340000" || field(m, "gender") != "FEMALE" || field(m, "birthday") != "1990-02-03" ||
		field(m, "registered") != true || field(m, "group", "code") != "G" {
		t.Fatalf("registerMember: %v", out)
	}
	memberID := field(m, "id").(string)

	out = a.As(ops, `mutation($g: ID!) { createCardType(input: {groupId: $g, code: "SV", name: "SV", kind: STORED_VALUE}) {
		cardType { id kind } userErrors { code } } }`, map[string]any{"g": relay.ID("Group", group)})
	typeID, _ := field(out, "data", "createCardType", "cardType", "id").(string)
	out = a.As(ops, `mutation($m: ID!, $t: ID!) { issueCard(input: {memberId: $m, cardTypeId: $t, uid: "U1", reason: "new"}) {
		card { id number status kind member { id } } userErrors { code } } }`, map[string]any{"m": memberID, "t": typeID})
	cardID, _ := field(out, "data", "issueCard", "card", "id").(string)
	if field(out, "data", "issueCard", "card", "status") != "ACTIVE" || field(out, "data", "issueCard", "card", "member", "id") != memberID {
		t.Fatalf("issueCard: %v", out)
	}

	out = a.As(me, `{ myMemberCode { code qrPng expiresAt } myCards { id } myMember { id } }`, nil)
	code, _ := field(out, "data", "myMemberCode", "code").(string)
	if png, _ := base64.StdEncoding.DecodeString(field(out, "data", "myMemberCode", "qrPng").(string)); !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("qr: %v", out)
	}
	out = a.As(ops, `mutation($c: String!) { resolveMemberCode(code: $c) { member { id } defaultCard { id } userErrors { code } } }`,
		map[string]any{"c": code})
	if field(out, "data", "resolveMemberCode", "member", "id") != memberID || field(out, "data", "resolveMemberCode", "defaultCard", "id") != cardID {
		t.Fatalf("resolveMemberCode: %v", out)
	}
	out = a.As(ops, `mutation { resolveMemberCode(code: "forged") { member { id } userErrors { code } } }`, nil)
	if !strings.Contains(mustJSON(out), "MEMBER_CODE_INVALID") {
		t.Fatalf("forged code: %v", out)
	}

	out = a.As(ops, `mutation($c: ID!) { freezeCard(input: {cardId: $c, reason: "check"}) { card { status } userErrors { code } } }`,
		map[string]any{"c": cardID})
	if field(out, "data", "freezeCard", "card", "status") != "FROZEN" {
		t.Fatalf("freeze: %v", out)
	}
	out = a.As(ops, `mutation($c: ID!) { freezeCard(input: {cardId: $c, reason: "again"}) { card { status } userErrors { code } } }`,
		map[string]any{"c": cardID})
	if !strings.Contains(mustJSON(out), "CARD_INVALID_TRANSITION") {
		t.Fatalf("refreeze: %v", out)
	}

	csv := base64.StdEncoding.EncodeToString([]byte("name,phone\nA,13700000001\nB,bad\n"))
	out = a.As(ops, `mutation($m: ID!, $c: String!) { importMembers(input: {mallId: $m, format: CSV, content: $c}) {
		imported rowErrors { row field code } userErrors { code } } }`, map[string]any{"m": relay.ID("Mall", mall), "c": csv})
	if field(out, "data", "importMembers", "imported") != float64(1) || !strings.Contains(mustJSON(out), `"row":3`) {
		t.Fatalf("import: %v", out)
	}
	// A large file goes to a presigned upload first, then is imported by its key.
	out = a.As(ops, `mutation($m: ID!) { startMemberImportUpload(mallId: $m) { upload { uploadKey url } userErrors { code } } }`,
		map[string]any{"m": relay.ID("Mall", mall)})
	key, _ := field(out, "data", "startMemberImportUpload", "upload", "uploadKey").(string)
	if key == "" || field(out, "data", "startMemberImportUpload", "upload", "url") == "" {
		t.Fatalf("startMemberImportUpload: %v", out)
	}
	file := "name,phone\nC,13700000002\n"
	if err := objs.Put(ctx, key, strings.NewReader(file), int64(len(file)), "text/csv"); err != nil {
		t.Fatal(err)
	}
	byKey := `mutation($m: ID!, $k: String) { importMembers(input: {mallId: $m, format: CSV, uploadKey: $k}) {
		imported userErrors { code field } } }`
	out = a.As(ops, byKey, map[string]any{"m": relay.ID("Mall", mall), "k": key})
	if field(out, "data", "importMembers", "imported") != float64(1) {
		t.Fatalf("import by upload key: %v", out)
	}
	out = a.As(ops, byKey, map[string]any{"m": relay.ID("Mall", mall), "k": nil})
	if !strings.Contains(mustJSON(field(out, "data", "importMembers", "userErrors")), `"field":["input","content"]`) {
		t.Fatalf("import with neither content nor key: %v", out)
	}
	out = a.As(ops, `{ members(first: 1, filter: {phone: "139"}) { edges { node { id cards { number } } } pageInfo { hasNextPage } } }`, nil)
	if !strings.Contains(mustJSON(out), memberID) {
		t.Fatalf("members: %v", out)
	}
	out = a.As(me, `{ members { edges { node { id } } } }`, nil)
	if !strings.Contains(mustJSON(out), "FORBIDDEN") {
		t.Fatalf("shopper listing members: %v", out)
	}
}
