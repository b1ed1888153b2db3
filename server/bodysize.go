package server

import (
	"fmt"
	"net/http"
)

// DefaultAnonymousBodySize caps the body of a request without credentials: what an
// anonymous caller may run (logins, public reads) fits in a few KB, so a larger body
// is refused before it is read (a login is ~300 bytes).
const DefaultAnonymousBodySize = 16 << 10

// DefaultBodySize caps the body of a request with credentials. Files never travel in a
// GraphQL body (imports, photos and signed contracts go to object storage by presigned
// URL), so the largest body is a batch input such as 100 offline scans (~25–40 KB); a
// larger one is refused before it is read rather than decoded (decoding 1.8 MB of JSON
// took 90 times a `{ __typename }`, 120 KB still 10 times).
const DefaultBodySize = 64 << 10

// limitBody caps request bodies: anonymous (no Authorization header) at anonymous
// bytes, others at max. A body whose declared length is over its cap is refused at
// once with 413 (REQUEST_TOO_LARGE) without reading it, and the connection is closed
// rather than drained; a body that grows over its cap while read fails the read
// (http.MaxBytesReader), which the GraphQL transport answers as a bad request.
func limitBody(next http.Handler, max, anonymous int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := max
		if r.Header.Get("Authorization") == "" && anonymous > 0 && anonymous < max {
			limit = anonymous
		}
		if r.ContentLength > limit {
			w.Header().Set("Connection", "close")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_, _ = fmt.Fprintf(w, `{"errors":[{"message":"request body over %d bytes","extensions":{"code":"REQUEST_TOO_LARGE","limit":%d}}]}`+"\n", limit, limit)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}
