package server_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/server"
)

// BenchmarkAbusiveDocuments answers, over HTTP, the documents of the hardening issue that
// took 22–36 s and tens of MB (a ~3 MB flood of unknown fields, 100,000 repeated
// directives, an error flood within the token limit) and a body just under the
// logged-in cap that reaches the token limit, alternately with `{ __typename }` on the
// same server, anonymous and with credentials. It reports each one's cost as a multiple
// of `{ __typename }`'s (median, min and max over the alternations): x_server is the
// server's time (the handler, from the request's arrival to the answer written), x_trip
// the client's round trip (which includes sending the body, the attacker's own cost),
// and the bytes answered. Oversized bodies are refused before they are read (413); an
// error flood stops validating at the 21st error.
func BenchmarkAbusiveDocuments(b *testing.B) {
	var handled atomic.Int64 // nanoseconds the handler took for the last request
	timed := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			h.ServeHTTP(w, r)
			handled.Store(int64(time.Since(start)))
		})
	}
	srv := newServerWrapped(b, same, func(*server.GraphQLOptions, *server.Routes) {}, timed) // the caps of app.New
	cases := []struct{ name, query string }{
		{"3MB_unknown_fields", fields("f", 250_000)},
		{"100k_directives", "{ __typename" + strings.Repeat(" @include(if: true)", 100_000) + " }"},
		{"900_unknown_fields", fields("g", 900)},                        // within the logged-in token limit (anonymous: refused at 500 tokens)
		{"60KB_to_the_token_limit", fields("t", 15000)[:60<<10] + " }"}, // just under the logged-in body cap
	}
	for _, tc := range cases {
		for _, who := range []string{"anonymous", "logged_in"} {
			b.Run(tc.name+"/"+who, func(b *testing.B) { benchAbusive(b, srv, &handled, tc.query, who == "anonymous") })
		}
	}
}

func benchAbusive(b *testing.B, srv *httptest.Server, handled *atomic.Int64, query string, anonymous bool) {
	typename, abusive := graphQLBody("{ __typename }"), graphQLBody(query) // the client's encoding is not timed
	var server, trip []float64
	var size int
	for b.Loop() {
		start := time.Now()
		postJSON(b, srv, typename, anonymous)
		baseTrip, baseServer := time.Since(start), handled.Load()
		start = time.Now()
		_, body := postJSON(b, srv, abusive, anonymous)
		trip = append(trip, float64(time.Since(start))/float64(baseTrip))
		server = append(server, float64(handled.Load())/float64(baseServer))
		size = len(body)
	}
	report(b, "x_server", server)
	report(b, "x_trip", trip)
	b.ReportMetric(float64(size), "response_bytes")
	b.ReportMetric(float64(len(query))/(1<<20), "query_MB")
}

func report(b *testing.B, name string, ratios []float64) {
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], name+"_median")
	b.ReportMetric(ratios[0], name+"_min")
	b.ReportMetric(ratios[len(ratios)-1], name+"_max")
}
