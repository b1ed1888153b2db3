package server_test

import (
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/server"
)

// TestGraphiQLIsServedLocally: the dev page loads its scripts and styles from Atrium
// itself (no CDN), gzipped for browsers and plain for clients that do not accept gzip.
func TestGraphiQLIsServedLocally(t *testing.T) {
	h := server.Handler(server.Routes{Dev: true, GraphQL: http.NotFoundHandler(),
		Loaders: func(h http.Handler) http.Handler { return h }, Metrics: server.NewMetrics(nil),
		Ready: func(_ context.Context) error { return nil }, Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(h)
	defer srv.Close()
	page := get(t, srv.URL+"/", "")
	if strings.Contains(page, "https://") || !strings.Contains(page, "/graphiql/graphiql.min.js") {
		t.Fatalf("the page must load its assets from Atrium: %.500s", page)
	}
	for _, asset := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"} {
		t.Run(asset, func(t *testing.T) {
			plain := get(t, srv.URL+"/graphiql/"+asset, "identity")
			zipped := get(t, srv.URL+"/graphiql/"+asset, "gzip")
			if len(plain) < 1000 || plain != zipped {
				t.Fatalf("%s: %d bytes plain, gzip body differs: %v", asset, len(plain), plain != zipped)
			}
		})
	}
	if res, _ := http.Get(srv.URL + "/graphiql/secret.go"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("an unknown asset answered %d", res.StatusCode)
	}
}

// get fetches url asking for encoding, and returns the decoded body.
func get(t *testing.T, url, encoding string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, _ := io.ReadAll(r)
	return string(b)
}
