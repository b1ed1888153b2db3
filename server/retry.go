package server

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/atrium-mall/atrium/storage"
)

// ReadRetry runs a query operation once more when it failed because a database
// connection was lost (storage.ConnectionLost: PostgreSQL terminated the backend, a
// failover, a broken socket), so a replica whose connection was killed answers instead
// of INTERNAL. Only queries are retried: they read, so a second run is harmless.
// Mutations and subscriptions are not (a mutation may have committed before its
// connection broke; clients retry those with their idempotency key).
type ReadRetry struct {
	// Fresh, when not nil, gives the second run a context without the first run's
	// per-request caches (dataloaders keep errors).
	Fresh  func(context.Context) context.Context
	Logger *slog.Logger
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = ReadRetry{}

// ExtensionName implements graphql.HandlerExtension.
func (ReadRetry) ExtensionName() string { return "ReadRetry" }

// Validate implements graphql.HandlerExtension.
func (ReadRetry) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (r ReadRetry) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return next(ctx)
	}
	first := next(ctx)
	tried := false
	return func(rctx context.Context) *graphql.Response {
		resp := first(rctx)
		if tried || resp == nil || !connectionLost(resp.Errors) {
			return resp
		}
		tried = true
		if r.Logger != nil {
			r.Logger.WarnContext(rctx, "query retried after a lost database connection",
				"operation", oc.OperationName, "request_id", RequestID(rctx))
		}
		if r.Fresh != nil {
			rctx = r.Fresh(rctx)
		}
		return next(ctx)(rctx)
	}
}

func connectionLost(list gqlerror.List) bool {
	for _, e := range list {
		if e != nil && storage.ConnectionLost(errors.Unwrap(e)) {
			return true
		}
	}
	return false
}
