package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/atrium-mall/atrium/auth"
)

type requestIDKey struct{}

// RequestID returns the request's id ("" outside a request).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID takes X-Request-Id when it looks sane, else makes one, and echoes it.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 || strings.ContainsAny(id, " \t\r\n") {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		ctx := auth.WithClient(context.WithValue(r.Context(), requestIDKey{}, id), clientIP(r))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientIP is the peer's address without its port: what per-client limits count by.
// (Behind a reverse proxy every request comes from the proxy; trusting a forwarded
// header is a deployment setting not offered yet.)
func clientIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// statusWriter remembers the status code for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the original writer (websocket upgrade).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// withAccessLog logs one line per request.
func withAccessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		log.InfoContext(r.Context(), "http", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"duration_ms", time.Since(start).Milliseconds(), "request_id", RequestID(r.Context()))
	})
}

// Authenticator turns a bearer token into a viewer.
type Authenticator func(ctx context.Context, bearer string) (*auth.Viewer, error)

// withViewer authenticates the Authorization header. No header: anonymous. A header
// with a bad, expired or revoked token: 401 with a GraphQL error, so a client never
// silently runs as anonymous with a token it believes is valid.
func withViewer(authn Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		v, err := authn(r.Context(), strings.TrimSpace(token))
		if !ok || err != nil {
			writeGraphQLError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "access token invalid, expired or revoked")
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithViewer(r.Context(), v)))
	})
}

func writeGraphQLError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}
