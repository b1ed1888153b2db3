package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
	return postJSON(t, srv, graphQLBody(query), false)
}

func postAnonymous(t testing.TB, srv *httptest.Server, query string) (int, string) {
	t.Helper()
	return postJSON(t, srv, graphQLBody(query), true)
}

// graphQLBody is the JSON body of a request for query.
func graphQLBody(query string) []byte {
	body, _ := json.Marshal(map[string]string{"query": query})
	return body
}

// postJSON posts a prepared body, with credentials unless anonymous.
func postJSON(t testing.TB, srv *httptest.Server, body []byte, anonymous bool) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if !anonymous {
		req.Header.Set("Authorization", "Bearer any")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
