package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TrustedDocuments is the trusted-documents mode (ATRIUM_GRAPHQL_TRUSTED_DOCUMENTS): only
// operations registered at deploy time execute. A client names one by its SHA-256 (hex
// of the document's exact text) in extensions.persistedQuery.sha256Hash (as Apollo's
// persisted queries send it, with or without the query) or in extensions.documentId
// ("sha256:<hex>" or the hex). A document sent in full runs only when its hash is
// registered. Anything else is refused before it is parsed: an unknown id with
// PERSISTED_QUERY_NOT_FOUND, an unregistered document with OPERATION_NOT_TRUSTED.
type TrustedDocuments struct {
	docs map[string]string // sha256 hex → document
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*TrustedDocuments)(nil)

// NewTrustedDocuments registers docs (sha256 hex, optionally "sha256:"-prefixed →
// document); a hash that is not the document's is an error, so a manifest cannot
// smuggle in a document under another's id.
func NewTrustedDocuments(docs map[string]string) (*TrustedDocuments, error) {
	t := &TrustedDocuments{docs: make(map[string]string, len(docs))}
	for id, doc := range docs {
		h := strings.ToLower(strings.TrimPrefix(id, "sha256:"))
		if got := sha256Hex(doc); got != h {
			return nil, fmt.Errorf("trusted document %q: its text hashes to %s", id, got)
		}
		t.docs[h] = doc
	}
	if len(t.docs) == 0 {
		return nil, fmt.Errorf("no trusted documents registered")
	}
	return t, nil
}

// LoadTrustedDocuments reads path: a JSON manifest {"<sha256>": "<document>", …}, or a
// directory of such manifests (*.json) and of single operations (*.graphql, each
// registered under the hash of its exact bytes).
func LoadTrustedDocuments(path string) (*TrustedDocuments, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if info.IsDir() {
		files = nil
		for _, pattern := range []string{"*.json", "*.graphql", "*.gql"} {
			m, _ := filepath.Glob(filepath.Join(path, pattern))
			files = append(files, m...)
		}
		sort.Strings(files)
	}
	docs := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(f, ".json") {
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("%s: want a JSON object of sha256 → document: %w", f, err)
			}
			for k, v := range m {
				docs[k] = v
			}
			continue
		}
		docs[sha256Hex(string(b))] = string(b)
	}
	t, err := NewTrustedDocuments(docs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// Len is the number of registered documents.
func (t *TrustedDocuments) Len() int { return len(t.docs) }

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// ExtensionName implements graphql.HandlerExtension.
func (*TrustedDocuments) ExtensionName() string { return "TrustedDocuments" }

// Validate implements graphql.HandlerExtension.
func (*TrustedDocuments) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator: it replaces
// the request's document with the registered one, or refuses the request.
func (t *TrustedDocuments) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	id := documentID(p.Extensions)
	if id == "" {
		if _, ok := t.docs[sha256Hex(p.Query)]; ok && p.Query != "" {
			return nil
		}
		return trustedError("OPERATION_NOT_TRUSTED",
			"this server executes only registered operations; send the operation's documentId")
	}
	doc, ok := t.docs[id]
	if !ok || (p.Query != "" && p.Query != doc) {
		return trustedError("PERSISTED_QUERY_NOT_FOUND", "no operation is registered under this id")
	}
	p.Query = doc
	return nil
}

func trustedError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// documentID is the hash a request names, lower-case hex, or "".
func documentID(ext map[string]any) string {
	if id, ok := ext["documentId"].(string); ok {
		return strings.ToLower(strings.TrimPrefix(id, "sha256:"))
	}
	if pq, ok := ext["persistedQuery"].(map[string]any); ok {
		if h, ok := pq["sha256Hash"].(string); ok {
			return strings.ToLower(h)
		}
	}
	return ""
}
