package server

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/redis/go-redis/v9"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/storage"
)

// Rate is a number of requests per window.
type Rate struct {
	Limit  int64
	Window time.Duration
}

// Default per-client rates (by the peer's IP address).
var (
	// DefaultAnonymousRate bounds requests without an access token: a mini-program
	// opening shows a handful; a scraper or a flood is cut off.
	DefaultAnonymousRate = Rate{Limit: 300, Window: time.Minute}
	// DefaultLoginRate bounds login attempts (loginStaff, loginWeChat) from one
	// address, whatever the account: the per-account back-off (auth.Lockout) stops
	// guessing one password, this stops spraying many accounts.
	DefaultLoginRate = Rate{Limit: 30, Window: time.Minute}
)

// RateLimiter counts requests per client in fixed windows in Redis, so every replica
// shares one count. A window starts at a client's first request and is not extended by
// later ones.
type RateLimiter struct {
	rdb       storage.Redis
	Anonymous Rate
	Login     Rate
}

// NewRateLimiter returns a limiter over rdb with the default rates.
func NewRateLimiter(rdb storage.Redis) *RateLimiter {
	return &RateLimiter{rdb: rdb, Anonymous: DefaultAnonymousRate, Login: DefaultLoginRate}
}

// take adds n to the window's count and returns the count and the milliseconds left of the window.
var take = redis.NewScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`)

// Allow counts n requests by client in bucket against rate. It returns 0 when they may
// go ahead, else how long until the window ends. When Redis fails the request goes
// ahead (the limiter protects Redis-backed work; it must not take the API down with it).
func (l *RateLimiter) Allow(ctx context.Context, bucket, client string, n int64, rate Rate) (time.Duration, error) {
	if rate.Limit <= 0 {
		return 0, nil
	}
	res, err := take.Run(ctx, l.rdb, []string{l.rdb.Key("rate", bucket, client)}, rate.Window.Milliseconds(), n).Int64Slice()
	if err != nil || len(res) != 2 {
		return 0, fmt.Errorf("rate limit: %w", err)
	}
	if res[0] <= rate.Limit {
		return 0, nil
	}
	return time.Duration(res[1]) * time.Millisecond, nil
}

// retrySeconds is d rounded up to whole seconds, at least 1.
func retrySeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// limitAnonymous answers 429 (code RATE_LIMITED, with Retry-After) to a client without
// an Authorization header that is over its anonymous rate. Logged-in requests are not
// counted here (their cost is bounded by the per-operation limits and their account).
func limitAnonymous(l *RateLimiter, next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		wait, err := l.Allow(r.Context(), "anon", clientIP(r), 1, l.Anonymous)
		if err == nil && wait > 0 {
			writeRateLimited(w, wait)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeRateLimited(w http.ResponseWriter, wait time.Duration) {
	s := retrySeconds(wait)
	w.Header().Set("Retry-After", strconv.Itoa(s))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = fmt.Fprintf(w, `{"errors":[{"message":"too many requests; retry in %d s","extensions":{"code":"RATE_LIMITED","retryAfter":%d}}]}`+"\n", s, s)
}

// LoginFields are the mutations counted against the login rate.
var LoginFields = map[string]bool{"loginStaff": true, "loginWeChat": true}

// LoginLimit counts each login field of a mutation (aliases included: ten loginStaff
// in one document count ten) against the client's login rate, before anything runs.
// Over the rate, the operation is refused with RATE_LIMITED and the HTTP answer is 429
// with Retry-After.
type LoginLimit struct{ Limiter *RateLimiter }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = LoginLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (LoginLimit) ExtensionName() string { return "LoginLimit" }

// Validate implements graphql.HandlerExtension.
func (LoginLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (l LoginLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
		return nil
	}
	var n int64
	for _, sel := range oc.Operation.SelectionSet {
		if f, ok := sel.(*ast.Field); ok && LoginFields[f.Name] {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	wait, err := l.Limiter.Allow(ctx, "login", auth.ClientFrom(ctx), n, l.Limiter.Login)
	if err != nil || wait == 0 {
		return nil
	}
	if h := rateHintFrom(ctx); h != nil {
		h.set(wait)
	}
	s := retrySeconds(wait)
	return &gqlerror.Error{
		Message:    fmt.Sprintf("too many login attempts from this address; retry in %d s", s),
		Extensions: map[string]any{"code": "RATE_LIMITED", "retryAfter": s},
	}
}

// rateHint carries a refusal from inside the GraphQL handler out to the HTTP answer.
type rateHint struct {
	mu   sync.Mutex
	wait time.Duration
}

func (h *rateHint) set(d time.Duration) {
	h.mu.Lock()
	h.wait = d
	h.mu.Unlock()
}

func (h *rateHint) get() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.wait
}

type rateHintKey struct{}

func rateHintFrom(ctx context.Context) *rateHint {
	h, _ := ctx.Value(rateHintKey{}).(*rateHint)
	return h
}

// withRateHint turns a LoginLimit refusal into HTTP 429 with Retry-After.
func withRateHint(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebsocket(r) { // the upgrade needs the original writer (http.Hijacker)
			next.ServeHTTP(w, r)
			return
		}
		h := &rateHint{}
		next.ServeHTTP(&hintWriter{ResponseWriter: w, hint: h}, r.WithContext(context.WithValue(r.Context(), rateHintKey{}, h)))
	})
}

type hintWriter struct {
	http.ResponseWriter
	hint  *rateHint
	wrote bool
}

func (h *hintWriter) WriteHeader(code int) {
	if !h.wrote {
		h.wrote = true
		if wait := h.hint.get(); wait > 0 {
			h.Header().Set("Retry-After", strconv.Itoa(retrySeconds(wait)))
			code = http.StatusTooManyRequests
		}
	}
	h.ResponseWriter.WriteHeader(code)
}

func (h *hintWriter) Write(b []byte) (int, error) {
	if !h.wrote {
		h.WriteHeader(http.StatusOK)
	}
	return h.ResponseWriter.Write(b)
}

// Unwrap exposes the original writer (websocket upgrades, flushing).
func (h *hintWriter) Unwrap() http.ResponseWriter { return h.ResponseWriter }

// Flush passes flushes through.
func (h *hintWriter) Flush() {
	if f, ok := h.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
