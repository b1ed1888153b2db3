package server

import (
	"mime"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// graphQLOverHTTP enforces the GraphQL-over-HTTP rules gqlgen's transports leave open:
// only GET and POST (405 otherwise, with Allow); POST bodies must be JSON (415); GET
// carries queries only (405 for a mutation or subscription, which must be POSTed); and
// with an application/json response, a well-formed request gets 200 even when the
// document fails to parse or validate (the errors are in the body), while
// application/graphql-response+json keeps 4xx codes.
func graphQLOverHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			if isWebsocket(r) {
				next.ServeHTTP(w, r)
				return
			}
			if op := operationType(r.URL.Query().Get("query"), r.URL.Query().Get("operationName")); op != "" && op != ast.Query {
				w.Header().Set("Allow", "POST")
				writeGraphQLError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", string(op)+" operations must use POST")
				return
			}
		case http.MethodPost:
			mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "application/json" {
				writeGraphQLError(w, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "the request body must be application/json")
				return
			}
		case http.MethodOptions:
		default:
			w.Header().Set("Allow", "GET, POST")
			writeGraphQLError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "use GET for queries or POST")
			return
		}
		next.ServeHTTP(&jsonStatusWriter{ResponseWriter: w}, r)
	})
}

func isWebsocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// operationType returns the type of the operation a GET would run ("" if unparsable:
// gqlgen then reports the parse error).
func operationType(query, name string) ast.Operation {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return ""
	}
	for _, op := range doc.Operations {
		if name == "" || op.Name == name {
			return op.Operation
		}
	}
	return ""
}

// jsonStatusWriter turns gqlgen's 422 for unparsable or invalid documents into 200 when
// the response is application/json, as the GraphQL-over-HTTP spec asks.
type jsonStatusWriter struct {
	http.ResponseWriter
}

func (j *jsonStatusWriter) WriteHeader(code int) {
	if code == http.StatusUnprocessableEntity && strings.HasPrefix(j.Header().Get("Content-Type"), "application/json") {
		code = http.StatusOK
	}
	j.ResponseWriter.WriteHeader(code)
}

// Unwrap exposes the original writer (websocket upgrades, flushing).
func (j *jsonStatusWriter) Unwrap() http.ResponseWriter { return j.ResponseWriter }

// Flush passes flushes through (multipart and SSE responses).
func (j *jsonStatusWriter) Flush() {
	if f, ok := j.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
