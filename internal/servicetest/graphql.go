package servicetest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers"
)

// Client runs the set's schema for its test (see Client).
func (s *Set) Client() Client { return Client{T: s.t, Handler: s.GraphQL(nil)} }

// Client runs GraphQL requests against a handler in the test's process, with the
// viewer taken from the request's context (the HTTP authentication layer is tested in
// app), through the per-request loaders as the server does.
type Client struct {
	T       testing.TB
	Handler http.Handler
}

// Do runs query with vars as ctx's viewer and returns the decoded response.
func (c Client) Do(ctx context.Context, query string, vars map[string]any) map[string]any {
	c.T.Helper()
	rec := httptest.NewRecorder()
	resolvers.LoaderMiddleware(c.Handler).ServeHTTP(rec, Request(ctx, "/graphql", query, vars))
	var out map[string]any
	Decode(c.T, rec.Code, rec.Body, &out)
	return out
}

// Decode reads a JSON response body into out, failing the test with the status and
// the body when it is not JSON.
func Decode(t testing.TB, status int, body io.Reader, out any) {
	t.Helper()
	raw, _ := io.ReadAll(body)
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("status %d, body %q: %v", status, raw, err)
	}
}

// As runs query with vars as viewer v.
func (c Client) As(v *auth.Viewer, query string, vars map[string]any) map[string]any {
	c.T.Helper()
	return c.Do(auth.WithViewer(context.Background(), v), query, vars)
}

// Request is a GraphQL POST of query with vars to url.
func Request(ctx context.Context, url, query string, vars map[string]any) *http.Request {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		panic(err) // a malformed URL is the test's own mistake
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// Field digs into a decoded response: map keys by string, list items by int; nil
// when the path leads nowhere.
func Field(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// Staff is a staff viewer (a new id) granted role at level over scope.
func Staff(role auth.Role, level auth.Level, scope uuid.UUID) *auth.Viewer {
	return &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(), Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}}
}

// Shopper is member as a viewer.
func Shopper(member uuid.UUID) *auth.Viewer { return &auth.Viewer{Kind: auth.KindShopper, ID: member} }

// Context is a background context of viewer v.
func Context(v *auth.Viewer) context.Context { return auth.WithViewer(context.Background(), v) }
