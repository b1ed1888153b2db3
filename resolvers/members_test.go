package resolvers_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// membersAPI serves the GraphQL schema with the viewer taken from the test's context
// (the HTTP authentication layer is tested elsewhere).
type membersAPI struct {
	t   *testing.T
	gql http.Handler
	s   resolvers.Services
}

func (a membersAPI) do(v *auth.Viewer, query string, vars map[string]any) map[string]any {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(auth.WithViewer(context.Background(), v))
	rec := httptest.NewRecorder()
	resolvers.LoaderMiddleware(a.gql).ServeHTTP(rec, req)
	var out map[string]any
	raw, _ := io.ReadAll(rec.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		a.t.Fatalf("response %s: %v", raw, err)
	}
	return out
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func TestMembersGraphQL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	fake := wechattest.New("app", "secret")
	wx := httptest.NewServer(fake)
	t.Cleanup(wx.Close)
	objs, _ := storage.NewLocalObjects(t.TempDir(), "http://x/objects", []byte("k"))
	orgs := org.New(org.Deps{DB: db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)})
	svc := members.New(members.Deps{DB: db, Objects: objs, WeChat: auth.NewWeChat(wx.URL, "app", "secret", wx.Client()),
		Org: orgs, Ledger: ledger.New(ledger.Deps{DB: db, Now: time.Now}), Now: time.Now, Config: members.Config{CodeKey: members.DeriveCodeKey([]byte("secret"))}})
	services := resolvers.Services{Org: orgs, Members: svc}
	api := membersAPI{t: t, s: services, gql: server.NewGraphQL(resolvers.Config(services),
		server.GraphQLOptions{Complexity: 1000, Depth: 12, Logger: slog.New(slog.DiscardHandler)})}

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
	me := &auth.Viewer{Kind: auth.KindShopper, ID: shopper}
	ops := &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleMemberOps, Level: auth.LevelGroup, ScopeID: group}}}
	fake.SetPhone("pc", "13912340000")

	out := api.do(me, `mutation($in: RegisterMemberInput!) { registerMember(input: $in) {
		member { id phone gender birthday registered group { code } } userErrors { code field } } }`,
		map[string]any{"in": map[string]any{"mallId": relay.ID("Mall", mall), "phoneCode": "pc",
			"profile": map[string]any{"name": "Li", "gender": "FEMALE", "birthday": "1990-02-03"}}})
	m := dig(out, "data", "registerMember", "member")
	if dig(m, "phone") != "13912340000" || dig(m, "gender") != "FEMALE" || dig(m, "birthday") != "1990-02-03" ||
		dig(m, "registered") != true || dig(m, "group", "code") != "G" {
		t.Fatalf("registerMember: %v", out)
	}
	memberID := dig(m, "id").(string)

	out = api.do(ops, `mutation($g: ID!) { createCardType(input: {groupId: $g, code: "SV", name: "SV", kind: STORED_VALUE}) {
		cardType { id kind } userErrors { code } } }`, map[string]any{"g": relay.ID("Group", group)})
	typeID, _ := dig(out, "data", "createCardType", "cardType", "id").(string)
	out = api.do(ops, `mutation($m: ID!, $t: ID!) { issueCard(input: {memberId: $m, cardTypeId: $t, uid: "U1", reason: "new"}) {
		card { id number status kind member { id } } userErrors { code } } }`, map[string]any{"m": memberID, "t": typeID})
	cardID, _ := dig(out, "data", "issueCard", "card", "id").(string)
	if dig(out, "data", "issueCard", "card", "status") != "ACTIVE" || dig(out, "data", "issueCard", "card", "member", "id") != memberID {
		t.Fatalf("issueCard: %v", out)
	}

	out = api.do(me, `{ myMemberCode { code qrPng expiresAt } myCards { id } myMember { id } }`, nil)
	code, _ := dig(out, "data", "myMemberCode", "code").(string)
	if png, _ := base64.StdEncoding.DecodeString(dig(out, "data", "myMemberCode", "qrPng").(string)); !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("qr: %v", out)
	}
	out = api.do(ops, `mutation($c: String!) { resolveMemberCode(code: $c) { member { id } defaultCard { id } userErrors { code } } }`,
		map[string]any{"c": code})
	if dig(out, "data", "resolveMemberCode", "member", "id") != memberID || dig(out, "data", "resolveMemberCode", "defaultCard", "id") != cardID {
		t.Fatalf("resolveMemberCode: %v", out)
	}
	out = api.do(ops, `mutation { resolveMemberCode(code: "forged") { member { id } userErrors { code } } }`, nil)
	if !strings.Contains(mustJSON(out), "MEMBER_CODE_INVALID") {
		t.Fatalf("forged code: %v", out)
	}

	out = api.do(ops, `mutation($c: ID!) { freezeCard(input: {cardId: $c, reason: "check"}) { card { status } userErrors { code } } }`,
		map[string]any{"c": cardID})
	if dig(out, "data", "freezeCard", "card", "status") != "FROZEN" {
		t.Fatalf("freeze: %v", out)
	}
	out = api.do(ops, `mutation($c: ID!) { freezeCard(input: {cardId: $c, reason: "again"}) { card { status } userErrors { code } } }`,
		map[string]any{"c": cardID})
	if !strings.Contains(mustJSON(out), "CARD_INVALID_TRANSITION") {
		t.Fatalf("refreeze: %v", out)
	}

	csv := base64.StdEncoding.EncodeToString([]byte("name,phone\nA,13700000001\nB,bad\n"))
	out = api.do(ops, `mutation($m: ID!, $c: String!) { importMembers(input: {mallId: $m, format: CSV, content: $c}) {
		imported rowErrors { row field code } userErrors { code } } }`, map[string]any{"m": relay.ID("Mall", mall), "c": csv})
	if dig(out, "data", "importMembers", "imported") != float64(1) || !strings.Contains(mustJSON(out), `"row":3`) {
		t.Fatalf("import: %v", out)
	}
	// A large file goes to a presigned upload first, then is imported by its key.
	out = api.do(ops, `mutation($m: ID!) { startMemberImportUpload(mallId: $m) { upload { uploadKey url } userErrors { code } } }`,
		map[string]any{"m": relay.ID("Mall", mall)})
	key, _ := dig(out, "data", "startMemberImportUpload", "upload", "uploadKey").(string)
	if key == "" || dig(out, "data", "startMemberImportUpload", "upload", "url") == "" {
		t.Fatalf("startMemberImportUpload: %v", out)
	}
	file := "name,phone\nC,13700000002\n"
	if err := objs.Put(ctx, key, strings.NewReader(file), int64(len(file)), "text/csv"); err != nil {
		t.Fatal(err)
	}
	byKey := `mutation($m: ID!, $k: String) { importMembers(input: {mallId: $m, format: CSV, uploadKey: $k}) {
		imported userErrors { code field } } }`
	out = api.do(ops, byKey, map[string]any{"m": relay.ID("Mall", mall), "k": key})
	if dig(out, "data", "importMembers", "imported") != float64(1) {
		t.Fatalf("import by upload key: %v", out)
	}
	out = api.do(ops, byKey, map[string]any{"m": relay.ID("Mall", mall), "k": nil})
	if !strings.Contains(mustJSON(dig(out, "data", "importMembers", "userErrors")), `"field":["input","content"]`) {
		t.Fatalf("import with neither content nor key: %v", out)
	}
	out = api.do(ops, `{ members(first: 1, filter: {phone: "139"}) { edges { node { id cards { number } } } pageInfo { hasNextPage } } }`, nil)
	if !strings.Contains(mustJSON(out), memberID) {
		t.Fatalf("members: %v", out)
	}
	out = api.do(me, `{ members { edges { node { id } } } }`, nil)
	if !strings.Contains(mustJSON(out), "FORBIDDEN") {
		t.Fatalf("shopper listing members: %v", out)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
