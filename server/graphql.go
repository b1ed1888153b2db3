// Package server is Atrium's HTTP surface: the GraphQL handler with its transports and
// limits, authentication, request ids and logs, health and metrics endpoints.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// GraphQLOptions tune the GraphQL handler.
type GraphQLOptions struct {
	Dev        bool // introspection on
	Complexity int
	Depth      int
	APQ        graphql.Cache[string] // persisted queries; nil disables APQ
	Metrics    *Metrics
	Logger     *slog.Logger
	// MaxTokens caps the tokens the parser reads (default DefaultMaxTokens).
	MaxTokens int
	// MaxErrors caps the errors one response lists (default DefaultMaxErrors).
	MaxErrors int
	// MaxResponse caps the bytes of one response (default DefaultMaxResponseBytes).
	MaxResponse int
	// RateLimits, when not nil, counts login mutations per client (LoginLimit).
	RateLimits *RateLimiter
	// Trusted, when not nil, executes only the registered documents (and APQ is off).
	Trusted *TrustedDocuments
	// FreshContext, when not nil, clears per-request caches (dataloaders) before a query
	// is run again after a lost database connection (ReadRetry).
	FreshContext func(context.Context) context.Context
	// WSInit authenticates a websocket connection from its connection_init payload; a
	// WSGuard attached to the context it returns (WithWSGuard) re-checks the
	// credentials while the socket is open (see ws.go).
	WSInit func(ctx context.Context, payload transport.InitPayload) (context.Context, error)
	// WSRecheck is how often a guarded websocket re-checks (default DefaultWSRecheck).
	WSRecheck time.Duration
}

// NewGraphQL builds the GraphQL handler with explicit transports and limits.
func NewGraphQL(cfg graph.Config, o GraphQLOptions) http.Handler {
	schema := pricedSchema{graph.NewExecutableSchema(cfg)}
	srv := handler.New(schema)
	srv.AddTransport(transport.Websocket{
		Implementation:        guardedWebsocket{transport.CoderWebsocketImplementation{}},
		KeepAlivePingInterval: 15 * time.Second,
		InitFunc:              wsInitFunc(o.WSInit, orDefaultDuration(o.WSRecheck, DefaultWSRecheck), o.Logger),
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	docs := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(docs)
	srv.SetParserTokenLimit(orDefault(o.MaxTokens, DefaultMaxTokens))
	srv.SetDisableSuggestion(!o.Dev)                                              // no "Did you mean" schema hints outside dev
	use(srv, ResponseCap{Max: orDefault(o.MaxResponse, DefaultMaxResponseBytes)}) // outermost: sees the final response
	use(srv, ErrorCap{Max: orDefault(o.MaxErrors, DefaultMaxErrors)})
	if o.Dev {
		use(srv, extension.Introspection{})
	}
	if o.Trusted != nil {
		use(srv, o.Trusted)
	} else if o.APQ != nil {
		use(srv, extension.AutomaticPersistedQuery{Cache: o.APQ})
	}
	use(srv, EarlyValidation{Schema: schema.Schema(), Cache: docs, MaxTokens: orDefault(o.MaxTokens, DefaultMaxTokens),
		AnonymousTokens: DefaultAnonymousTokens, Max: orDefault(o.MaxErrors, DefaultMaxErrors),
		Dev: o.Dev}) // after APQ and trusted documents supply the query
	use(srv, NewComplexityLimit(o.Complexity))
	use(srv, DepthLimit{Max: o.Depth})
	if o.RateLimits != nil {
		use(srv, LoginLimit{Limiter: o.RateLimits})
	}
	use(srv, ReadRetry{Fresh: o.FreshContext, Logger: o.Logger})
	if o.Metrics != nil {
		use(srv, o.Metrics)
	}
	srv.SetErrorPresenter(presenter(o.Logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		o.Logger.ErrorContext(ctx, "panic in resolver", "panic", p, "request_id", RequestID(ctx))
		return errors.New("internal error")
	})
	return withWSSlot(srv)
}

// use adds a handler extension, refusing a field interceptor: the generated code
// marshals most scalar fields without gqlgen's per-field path (internal/gqlgen,
// leaves.go), so an interceptor would not see them.
func use(srv *handler.Server, ext graphql.HandlerExtension) {
	if _, ok := ext.(graphql.FieldInterceptor); ok {
		panic(fmt.Sprintf("server: %s is a field interceptor, which the generated leaf fields bypass", ext.ExtensionName()))
	}
	srv.Use(ext)
}

func orDefaultDuration(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// presenter maps errors to GraphQL errors with extensions.code, in one place.
func presenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions != nil && gqlErr.Extensions["code"] != nil && errors.Is(err, gqlErr) {
			return gqlErr // parse, validation and argument errors keep gqlgen's codes
		}
		var reqErr *gqlerror.Error
		if _, ours := errs.As(err); !ours && errors.As(err, &reqErr) && len(reqErr.Path) == 0 && errors.Unwrap(reqErr) == nil {
			// An error about the request itself (e.g. a body that is not JSON): say what it
			// is, without echoing the body back.
			gqlErr.Message = requestMessage(gqlErr.Message)
			gqlErr.Extensions = map[string]any{"code": "BAD_REQUEST"}
			return gqlErr
		}
		if isIntrospectionDisabled(err) { // gqlgen's answer to __schema/__type outside dev
			gqlErr.Message, gqlErr.Extensions = "introspection is disabled", map[string]any{"code": "FORBIDDEN"}
			return gqlErr
		}
		code, msg := classify(err)
		if code == "INTERNAL" {
			log.ErrorContext(ctx, "internal error", "err", err, "request_id", RequestID(ctx),
				"path", graphql.GetPath(ctx).String())
			msg = "internal error"
		}
		gqlErr.Message = msg
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		gqlErr.Extensions["code"] = code
		if e, ok := errs.As(err); ok && e.Kind == errs.KindUser {
			gqlErr.Extensions["reason"] = e.Code
		}
		return gqlErr
	}
}

// introspectionDisabled is gqlgen's error for an introspection query when introspection
// is off (it exports no sentinel).
const introspectionDisabled = "introspection disabled"

func isIntrospectionDisabled(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() == introspectionDisabled {
			return true
		}
	}
	return false
}

// requestMessage cuts the echo of the request body from a transport's message and
// bounds its length.
func requestMessage(msg string) string {
	if i := strings.Index(msg, " body:"); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 200 {
		msg = strings.ToValidUTF8(msg[:200], "") + "…"
	}
	return msg
}

// classify returns the extension code and client message for err.
func classify(err error) (code, msg string) {
	if e, ok := errs.As(err); ok {
		switch e.Kind {
		case errs.KindNotFound:
			return "NOT_FOUND", e.Message
		case errs.KindForbidden:
			return "FORBIDDEN", e.Message
		case errs.KindUnauthenticated:
			return "UNAUTHENTICATED", e.Message
		case errs.KindUser:
			return "BAD_USER_INPUT", e.Message
		}
	}
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return "NOT_FOUND", "not found"
	case errors.Is(err, storage.ErrIdempotencyMismatch):
		return "BAD_USER_INPUT", errs.ErrIdempotencyKey.Message
	case errors.Is(err, context.Canceled):
		return "CANCELLED", "request cancelled"
	case storage.IsDataException(err):
		return "BAD_USER_INPUT", "a value cannot be stored as given (a NUL byte, invalid text or a number out of range)"
	}
	return "INTERNAL", "internal error"
}
