package server_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/server"
)

// BenchmarkAbusiveDocuments answers, over HTTP, the documents of the hardening issue that
// took 22–36 s and tens of MB (a ~3 MB flood of unknown fields, 100,000 repeated
// directives, 2,000 unknown fields within the token limit) alternately with
// `{ __typename }` on the same server, and reports each one's time per request as a
// multiple of `{ __typename }`'s (median, min and max over the alternations) and the
// bytes answered. The refusal happens while the document is read, so the cost is the
// body's transfer plus a bounded lexer pass.
func BenchmarkAbusiveDocuments(b *testing.B) {
	srv := newServerWith(b, func(c graph.Config) graph.Config { return c }, func(_ *server.GraphQLOptions, r *server.Routes) {
		r.BodySize = 4 << 20 // as app.New
	})
	cases := []struct{ name, query string }{
		{"3MB_unknown_fields", fields("f", 250_000)},
		{"100k_directives", "{ __typename" + strings.Repeat(" @include(if: true)", 100_000) + " }"},
		{"2k_unknown_fields", fields("g", 2000)},
	}
	for _, tc := range cases {
		for _, who := range []string{"anonymous", "logged_in"} {
			b.Run(tc.name+"/"+who, func(b *testing.B) { benchAbusive(b, srv, tc.query, who == "anonymous") })
		}
	}
}

func benchAbusive(b *testing.B, srv *httptest.Server, query string, anonymous bool) {
	send := post
	if anonymous {
		send = postAnonymous
	}
	{
		{
			var ratios []float64
			var size int
			for b.Loop() {
				start := time.Now()
				send(b, srv, "{ __typename }")
				base := time.Since(start)
				start = time.Now()
				_, body := send(b, srv, query)
				ratios = append(ratios, float64(time.Since(start))/float64(base))
				size = len(body)
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "x_typename_median")
			b.ReportMetric(ratios[0], "x_typename_min")
			b.ReportMetric(ratios[len(ratios)-1], "x_typename_max")
			b.ReportMetric(float64(size), "response_bytes")
			b.ReportMetric(float64(len(query))/(1<<20), "query_MB")
		}
	}
}
