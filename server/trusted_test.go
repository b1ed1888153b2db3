package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/server"
)

func hash(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

// TestTrustedDocuments: with a manifest, a registered operation runs by its id (either
// form) or by its exact text; an unknown id is PERSISTED_QUERY_NOT_FOUND, any other
// document OPERATION_NOT_TRUSTED, and nothing of it runs.
func TestTrustedDocuments(t *testing.T) {
	t.Parallel()
	const op = "query Typename { __typename }"
	dir := t.TempDir()
	manifest, _ := json.Marshal(map[string]string{hash(op): op})
	if err := os.WriteFile(filepath.Join(dir, "miniprogram.json"), manifest, 0o600); err != nil {
		t.Fatal(err)
	}
	const single = "query Other { ok: __typename }"
	if err := os.WriteFile(filepath.Join(dir, "other.graphql"), []byte(single), 0o600); err != nil {
		t.Fatal(err)
	}
	trusted, err := server.LoadTrustedDocuments(dir)
	if err != nil {
		t.Fatal(err)
	}
	if trusted.Len() != 2 {
		t.Fatalf("%d documents", trusted.Len())
	}
	srv := newServerWith(t, same, func(o *server.GraphQLOptions, _ *server.Routes) { o.Trusted = trusted })
	pq := func(h string) map[string]any {
		return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": h}}
	}
	cases := []struct {
		name string
		body map[string]any
		want string
	}{
		{"by persistedQuery hash", map[string]any{"extensions": pq(hash(op))}, `"__typename":"Query"`},
		{"by documentId", map[string]any{"extensions": map[string]any{"documentId": "sha256:" + hash(single)}}, `"ok":"Query"`},
		{"by exact text", map[string]any{"query": op}, `"__typename":"Query"`},
		{"unknown id", map[string]any{"extensions": pq(hash("{ __typename }"))}, `"PERSISTED_QUERY_NOT_FOUND"`},
		{"id with another text", map[string]any{"query": "{ __schema { types { name } } }", "extensions": pq(hash(op))},
			`"PERSISTED_QUERY_NOT_FOUND"`},
		{"arbitrary document", map[string]any{"query": "{ __typename }"}, `"OPERATION_NOT_TRUSTED"`},
		{"no document", map[string]any{}, `"OPERATION_NOT_TRUSTED"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, body := send(t, srv, "token", tc.body)
			if !strings.Contains(body, tc.want) {
				t.Fatalf("want %s, got %s", tc.want, body)
			}
			if strings.Contains(tc.want, "NOT") && strings.Contains(body, `"data":{`) {
				t.Fatalf("refused operation ran: %s", body)
			}
		})
	}
}

func TestTrustedDocumentsRejectWrongHashes(t *testing.T) {
	t.Parallel()
	if _, err := server.NewTrustedDocuments(map[string]string{hash("{ a }"): "{ b }"}); err == nil {
		t.Fatal("a manifest entry whose hash is not its document's was accepted")
	}
	if _, err := server.NewTrustedDocuments(nil); err == nil {
		t.Fatal("an empty manifest was accepted")
	}
}
