package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/server"
)

// panicky replaces the malls resolver with one that panics.
type panicky struct{ graph.ResolverRoot }

func (p panicky) Query() graph.QueryResolver { return panicQuery{p.ResolverRoot.Query()} }

type panicQuery struct{ graph.QueryResolver }

func (panicQuery) Malls(context.Context, *int, *string) (model.MallConnection, error) {
	panic("boom: secret detail")
}

func newServer(t testing.TB, root func(graph.Config) graph.Config) *httptest.Server {
	t.Helper()
	return newServerWith(t, root, func(*server.GraphQLOptions, *server.Routes) {})
}

// newServerWith is newServer with its options and routes changed by tune.
func newServerWith(t testing.TB, root func(graph.Config) graph.Config, tune func(*server.GraphQLOptions, *server.Routes)) *httptest.Server {
	t.Helper()
	return newServerWrapped(t, root, tune, func(h http.Handler) http.Handler { return h })
}

// newServerWrapped is newServerWith with the whole handler wrapped (e.g. timed).
func newServerWrapped(t testing.TB, root func(graph.Config) graph.Config, tune func(*server.GraphQLOptions, *server.Routes),
	wrap func(http.Handler) http.Handler) *httptest.Server {
	t.Helper()
	cfg := root(resolvers.Config(resolvers.Services{}))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := server.GraphQLOptions{Complexity: 500, Depth: 6, Logger: log}
	staff := &auth.Viewer{Kind: auth.KindStaff}
	routes := server.Routes{
		Authn:   func(context.Context, string) (*auth.Viewer, error) { return staff, nil },
		Loaders: func(h http.Handler) http.Handler { return h },
		Metrics: server.NewMetrics(nil),
		Ready:   func(context.Context) error { return nil },
		Logger:  log, // body caps: the defaults, as app.New
	}
	tune(&opts, &routes)
	routes.GraphQL = server.NewGraphQL(cfg, opts)
	srv := httptest.NewServer(wrap(server.Handler(routes)))
	t.Cleanup(srv.Close)
	return srv
}

func post(t testing.TB, srv *httptest.Server, query string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer any")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestPanicBecomesInternalErrorWithoutDetails(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(c graph.Config) graph.Config {
		c.Resolvers = panicky{c.Resolvers}
		return c
	})
	status, body := post(t, srv, `{ malls { pageInfo { hasNextPage } } }`)
	if status != 200 || !strings.Contains(body, `"code":"INTERNAL"`) || !strings.Contains(body, `"internal error"`) {
		t.Fatalf("got %d %s", status, body)
	}
	for _, leak := range []string{"boom", "secret", "goroutine", ".go:"} {
		if strings.Contains(body, leak) {
			t.Fatalf("response leaks %q: %s", leak, body)
		}
	}
	// The server keeps serving.
	if status, body := post(t, srv, `{ __typename }`); status != 200 || !strings.Contains(body, "Query") {
		t.Fatalf("after panic: %d %s", status, body)
	}
}

func TestAbusiveQueriesAreRejected(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(c graph.Config) graph.Config { return c })
	deep := `{ malls(first: 1) { edges { node { merchants(first: 1) { edges { node { mall { merchants(first: 1) { edges { node { id } } } } } } } } } } }`
	if _, body := post(t, srv, deep); !strings.Contains(body, "DEPTH_LIMIT_EXCEEDED") {
		t.Fatalf("deep query: %s", body)
	}
	// Shallow but wide: 100 malls × 100 merchants each is priced at 10,000+ rows.
	wide := `{ malls(first: 100) { edges { node { merchants(first: 100) { edges { node { id name } } } } } } }`
	if _, body := post(t, srv, wide); !strings.Contains(body, "COMPLEXITY_LIMIT_EXCEEDED") {
		t.Fatalf("wide query: %s", body)
	}
	// Many aliases of a cheap field add up too.
	var b strings.Builder
	b.WriteString("{")
	for i := range 600 {
		b.WriteString(" a" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ": __typename")
	}
	b.WriteString(" }")
	if _, body := post(t, srv, b.String()); !strings.Contains(body, "COMPLEXITY_LIMIT_EXCEEDED") {
		t.Fatalf("aliases: %s", body[:min(len(body), 300)])
	}
	// A normal query passes both limits (it fails later only for want of services).
	if _, body := post(t, srv, `{ __typename }`); !strings.Contains(body, `"__typename":"Query"`) {
		t.Fatalf("normal query: %s", body)
	}
}

// postAnonymous is post without credentials.
func postAnonymous(t testing.TB, srv *httptest.Server, query string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	res, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
