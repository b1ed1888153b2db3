package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/server"
)

// fields returns "{ prefix0 prefix1 … }" with n selections.
func fields(prefix string, n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		b.WriteString(" " + prefix + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + strings.Repeat("0", i%5))
	}
	return b.String() + " }"
}

// TestAbusiveDocumentsGetSmallAnswers: documents built to make the server work (a flood
// of unknown fields, thousands of repeated directives) are refused while they are read
// or answered with at most MaxErrors errors, in a response of a few KB, anonymous or
// not; schema hints ("Did you mean") are off outside dev.
func TestAbusiveDocumentsGetSmallAnswers(t *testing.T) {
	srv := newServer(t, func(c graph.Config) graph.Config { return c })
	cases := []struct {
		name     string
		query    string
		wantCode string
		maxBytes int
	}{
		{"10,000 unknown fields (under the body cap) stop at the token limit", fields("f", 10000), "GRAPHQL_PARSE_FAILED", 2048},
		{"2,000 repeated directives stop at the token limit",
			"{ __typename" + strings.Repeat(" @include(if: true)", 2000) + " }", "GRAPHQL_PARSE_FAILED", 2048},
		{"900 unknown fields within the token limit: validation stops at 20 errors", fields("g", 900), "TOO_MANY_ERRORS", 8192},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, body := post(t, srv, tc.query)
			if len(body) > tc.maxBytes {
				t.Fatalf("response of %d bytes, want at most %d: %.300s", len(body), tc.maxBytes, body)
			}
			if !strings.Contains(body, tc.wantCode) {
				t.Fatalf("response does not carry %s: %.300s", tc.wantCode, body)
			}
			if n := strings.Count(body, `"message"`); n > 21 {
				t.Fatalf("%d errors listed, want at most 21", n)
			}
		})
	}
	t.Run("a few errors are all listed, as gqlgen lists them", func(t *testing.T) {
		_, body := post(t, srv, fields("k", 5))
		if n := strings.Count(body, "Cannot query field"); n != 5 || strings.Contains(body, "TOO_MANY_ERRORS") {
			t.Fatalf("%d errors listed, want 5: %.600s", n, body)
		}
	})
	t.Run("a flood is answered with one error naming the first", func(t *testing.T) {
		_, body := post(t, srv, fields("m", 500))
		if n := strings.Count(body, `"message"`); n != 1 || !strings.Contains(body, `Cannot query field \"ma\"`) {
			t.Fatalf("want one TOO_MANY_ERRORS error naming the first field: %.600s", body)
		}
	})
	t.Run("no schema hints outside dev", func(t *testing.T) {
		_, body := post(t, srv, `{ mal }`)
		if strings.Contains(body, "Did you mean") {
			t.Fatalf("suggestion leaked: %s", body)
		}
	})
}

// TestBadScalarsAreBadInput: a Decimal that is not one is BAD_USER_INPUT, not INTERNAL,
// and its value is not echoed.
func TestBadScalarsAreBadInput(t *testing.T) {
	srv := newServer(t, func(c graph.Config) graph.Config { return c })
	for _, amount := range []string{"abc", "1e999999999", strings.Repeat("9", 5000)} {
		t.Run(amount[:min(len(amount), 12)], func(t *testing.T) {
			_, body := post(t, srv, `mutation { rechargeCard(input: {mallId: "x", cardNumber: "1", amount: "`+amount+
				`", idempotencyKey: "k"}) { userErrors { code } } }`)
			if !strings.Contains(body, "BAD_USER_INPUT") || strings.Contains(body, "INTERNAL") {
				t.Fatalf("got %.400s", body)
			}
			if strings.Contains(body, "99999999") || strings.Contains(body, "abc") {
				t.Fatalf("value echoed: %.400s", body)
			}
		})
	}
}

// TestRequestErrorsStaySmallAndQuiet: a body that is not JSON is BAD_REQUEST without the
// body echoed; introspection outside dev is FORBIDDEN, not an internal error.
func TestRequestErrorsStaySmallAndQuiet(t *testing.T) {
	srv := newServer(t, func(c graph.Config) graph.Config { return c })
	t.Run("broken JSON is not echoed", func(t *testing.T) {
		res, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query": "`+strings.Repeat("x", 12000))) // under the anonymous cap
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if len(b) > 1024 || !strings.Contains(string(b), "BAD_REQUEST") || strings.Contains(string(b), "xxxx") {
			t.Fatalf("%d bytes: %.300s", len(b), b)
		}
	})
	t.Run("introspection outside dev is forbidden", func(t *testing.T) {
		_, body := post(t, srv, `{ __schema { types { name } } }`)
		if !strings.Contains(body, `"FORBIDDEN"`) || strings.Contains(body, "INTERNAL") {
			t.Fatalf("got %s", body)
		}
	})
}

// TestAnonymousBodiesAreSmall: a body over 64 KB (16 KB anonymous) is refused with 413
// REQUEST_TOO_LARGE before it is read, with or without credentials (DefaultBodySize, as
// app.New); a server configured for larger bodies with credentials
// (ATRIUM_GRAPHQL_MAX_BODY) reads them, and still refuses them anonymous.
func TestAnonymousBodiesAreSmall(t *testing.T) {
	srv := newServer(t, same)
	big := fields("f", 15000) // ~80 KB
	for _, tc := range []struct {
		name string
		send func(testing.TB, *httptest.Server, string) (int, string)
		body string
	}{{"anonymous", postAnonymous, big}, {"logged in", post, big}, {"logged in, 5 MB", post, fields("h", 800000)}} {
		status, body := tc.send(t, srv, tc.body)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "REQUEST_TOO_LARGE") || len(body) > 512 {
			t.Fatalf("%s, %d-byte body: %d %.300s", tc.name, len(tc.body), status, body)
		}
	}
	if status, body := postAnonymous(t, srv, "{ __typename }"); status != http.StatusOK || !strings.Contains(body, "Query") {
		t.Fatalf("anonymous small body: %d %s", status, body)
	}
	wide := newServerWith(t, same, func(_ *server.GraphQLOptions, r *server.Routes) { r.BodySize = 1 << 20 })
	if status, body := post(t, wide, big); status == http.StatusRequestEntityTooLarge || !strings.Contains(body, "GRAPHQL_PARSE_FAILED") {
		t.Fatalf("logged-in %d-byte body, 1 MB cap: %d %.300s", len(big), status, body)
	}
	if status, _ := postAnonymous(t, wide, big); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("anonymous %d-byte body, 1 MB cap: %d", len(big), status)
	}
}

// TestAnonymousDocumentsAreShort: without credentials a document is read to 500 tokens
// (what anonymous callers run is far smaller); with credentials to 1,000.
func TestAnonymousDocumentsAreShort(t *testing.T) {
	srv := newServer(t, same)
	doc := fields("p", 600)
	if _, body := postAnonymous(t, srv, doc); !strings.Contains(body, "GRAPHQL_PARSE_FAILED") {
		t.Fatalf("anonymous 600-token document: %.300s", body)
	}
	if _, body := post(t, srv, doc); !strings.Contains(body, "TOO_MANY_ERRORS") || strings.Contains(body, "GRAPHQL_PARSE_FAILED") {
		t.Fatalf("logged-in 600-token document: %.300s", body)
	}
	if _, body := postAnonymous(t, srv, "{ __typename }"); !strings.Contains(body, `"Query"`) {
		t.Fatalf("anonymous small document: %.300s", body)
	}
}
