package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func (e *env) raw(method, target, contentType, accept, body string) (*http.Response, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestGraphQLOverHTTP checks the GraphQL-over-HTTP rules: methods, media types, status codes.
func TestGraphQLOverHTTP(t *testing.T) {
	t.Parallel()
	e := setup(t)
	get := func(q string) string { return "/graphql?query=" + url.QueryEscape(q) }
	cases := []struct {
		name, method, target, ctype, accept, body string
		status                                    int
		respType, contains                        string
	}{
		{"POST query", "POST", "/graphql", "application/json", "", `{"query":"{ __typename }"}`, 200, "application/json", `"__typename":"Query"`},
		{"POST json with charset", "POST", "/graphql", "application/json; charset=utf-8", "", `{"query":"{ __typename }"}`, 200, "application/json", `"Query"`},
		{"GET query", "GET", get("{ __typename }"), "", "", "", 200, "application/json", `"Query"`},
		{"GET mutation refused", "GET", get("mutation { logout { ok } }"), "", "", "", 405, "application/json", "METHOD_NOT_ALLOWED"},
		{"GET named mutation refused", "GET", get("query A { __typename } mutation B { logout { ok } }") + "&operationName=B", "", "", "", 405, "application/json", "must use POST"},
		{"PUT refused", "PUT", "/graphql", "application/json", "", `{"query":"{ __typename }"}`, 405, "application/json", "METHOD_NOT_ALLOWED"},
		{"POST text/plain refused", "POST", "/graphql", "text/plain", "", `{"query":"{ __typename }"}`, 415, "application/json", "UNSUPPORTED_MEDIA_TYPE"},
		{"body not JSON", "POST", "/graphql", "application/json", "", `{"query":`, 400, "application/json", "BAD_REQUEST"},
		{"parse error, json", "POST", "/graphql", "application/json", "application/json", `{"query":"{ malls {"}`, 200, "application/json", "GRAPHQL_PARSE_FAILED"},
		{"parse error, graphql-response", "POST", "/graphql", "application/json", "application/graphql-response+json", `{"query":"{ malls {"}`, 400, "application/graphql-response+json", "GRAPHQL_PARSE_FAILED"},
		{"validation error, json", "POST", "/graphql", "application/json", "", `{"query":"{ nope }"}`, 200, "application/json", "GRAPHQL_VALIDATION_FAILED"},
		{"validation error, graphql-response", "POST", "/graphql", "application/json", "application/graphql-response+json", `{"query":"{ nope }"}`, 400, "application/graphql-response+json", "GRAPHQL_VALIDATION_FAILED"},
		{"resolver error stays 200", "POST", "/graphql", "application/json", "", `{"query":"{ me { kind } }"}`, 200, "application/json", "UNAUTHENTICATED"},
	}
	for _, c := range cases {
		res, body := e.raw(c.method, c.target, c.ctype, c.accept, c.body)
		if res.StatusCode != c.status || !strings.HasPrefix(res.Header.Get("Content-Type"), c.respType) || !strings.Contains(body, c.contains) {
			t.Errorf("%s: got %d %q %s; want %d %s containing %q", c.name, res.StatusCode,
				res.Header.Get("Content-Type"), body, c.status, c.respType, c.contains)
		}
		if c.status == 405 && res.Header.Get("Allow") == "" {
			t.Errorf("%s: 405 without Allow header", c.name)
		}
	}
}

func TestOperationalEndpoints(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for target, want := range map[string]string{
		"/healthz": "ok",
		"/readyz":  "ready",
		"/":        "<html", // GraphiQL in dev
	} {
		res, body := e.raw("GET", target, "", "", "")
		if res.StatusCode != 200 || !strings.Contains(strings.ToLower(body), want) {
			t.Errorf("%s: %d %q", target, res.StatusCode, body)
		}
	}
	e.do("", `query Probe { __typename }`, nil)
	res, body := e.raw("GET", "/metrics", "", "", "")
	for _, want := range []string{`atrium_graphql_requests_total{operation="Probe",outcome="ok",type="query"}`,
		"atrium_graphql_duration_seconds", "atrium_db_pool_connections"} {
		if res.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no request id header")
	}
}

// TestPersistedQueries shows automatic persisted queries stored in Redis: a hash alone
// is unknown at first, registered by sending it with its query, then enough on its own.
func TestPersistedQueries(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const query = "{ __typename }"
	const hash = "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b" // sha256(query)
	send := func(token string, withQuery bool) string {
		body := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
		if withQuery {
			body["query"] = query
		}
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", e.srv.URL+"/graphql", strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		return string(out)
	}
	stored := func() int64 {
		n, err := e.app.Redis.Exists(t.Context(), e.app.Redis.Key("apq", hash)).Result()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	token, _ := e.login("desk")
	steps := []struct {
		name   string
		token  string
		query  bool
		want   string
		stored int64
	}{
		{"unknown hash", token, false, "PersistedQueryNotFound", 0},
		{"an anonymous registration is answered but not kept", "", true, `"Query"`, 0},
		{"so the hash alone is still unknown", "", false, "PersistedQueryNotFound", 0},
		{"a logged-in registration is kept", token, true, `"Query"`, 1},
		{"then the hash alone runs the query", token, false, `"Query"`, 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if out := send(st.token, st.query); !strings.Contains(out, st.want) {
				t.Fatalf("got %s, want %s", out, st.want)
			}
			if n := stored(); n != st.stored {
				t.Fatalf("%d queries in Redis, want %d", n, st.stored)
			}
		})
	}
}
