package server

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
)

// metricsGuard lets a scrape of /metrics through only with the bearer token (when
// ATRIUM_METRICS_TOKEN is set) or, without a token configured, only from a loopback
// address (a sidecar or node agent on the same host). Anything else is 401 or 403: the
// metrics name operations, pool sizes and the process's memory.
func metricsGuard(token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "metrics need the bearer token (ATRIUM_METRICS_TOKEN)", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if ip := net.ParseIP(clientIP(r)); ip == nil || !ip.IsLoopback() {
			http.Error(w, "metrics are served to loopback only; set ATRIUM_METRICS_TOKEN to scrape from elsewhere", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
