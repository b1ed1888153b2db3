package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/app"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestTrustedDocumentsConfigured: with ATRIUM_GRAPHQL_TRUSTED_DOCUMENTS the app runs the
// registered login by its hash and refuses any other document; a manifest whose hash is
// wrong stops the start with an error naming the variable.
func TestTrustedDocumentsConfigured(t *testing.T) {
	t.Parallel()
	sum := sha256.Sum256([]byte(loginStaffQ))
	id := hex.EncodeToString(sum[:])
	dir := t.TempDir()
	manifest, _ := json.Marshal(map[string]string{id: loginStaffQ})
	if err := os.WriteFile(filepath.Join(dir, "staff-app.json"), manifest, 0o600); err != nil {
		t.Fatal(err)
	}
	db := storetest.DB(t)
	a := servicetest.New(t, db, servicetest.Setting("ATRIUM_GRAPHQL_TRUSTED_DOCUMENTS", dir)).App
	if _, err := app.SeedDemo(context.Background(), a.Services.Org, demoPassword); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	e := &env{t: t, app: a, srv: srv}
	send := func(body map[string]any) gqlResponse {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		return e.send(req)
	}
	r := send(map[string]any{"extensions": map[string]any{"documentId": "sha256:" + id},
		"variables": map[string]any{"u": "admin", "p": demoPassword}})
	if tok, _ := path(r.Data, "loginStaff", "accessToken").(string); tok == "" {
		t.Fatalf("registered login: %+v", r)
	}
	if r := send(map[string]any{"query": "{ malls { edges { node { id } } } }"}); r.code() != "OPERATION_NOT_TRUSTED" {
		t.Fatalf("unregistered query: %+v", r)
	}

	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "x.json"), []byte(`{"`+id+`": "{ __typename }"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := servicetest.Config(t, storetest.URL(db), map[string]string{"ATRIUM_GRAPHQL_TRUSTED_DOCUMENTS": bad})
	if b, err := app.New(context.Background(), cfg, slog.New(slog.DiscardHandler), app.Options{RedisPrefix: "trusted-test:"}); err == nil ||
		!strings.Contains(err.Error(), "ATRIUM_GRAPHQL_TRUSTED_DOCUMENTS") {
		if b != nil {
			b.Close()
		}
		t.Fatalf("a wrong manifest: %v", err)
	}
}
