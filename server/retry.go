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

// ReadRetry runs an operation once more when it failed because a database connection
// was lost (storage.ConnectionLost: PostgreSQL terminated the backend, a failover, a
// broken socket), so a replica whose connection was killed answers instead of INTERNAL.
// Queries are retried: they read, so a second run is harmless. A mutation is retried
// only when every one of its fields carries input.idempotencyKey (service/once answers a
// repeat with the first run's result when that one committed, and runs it otherwise);
// other mutations may have committed before their connection broke and are not.
// Subscriptions are not retried.
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
	if !retryable(oc) {
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

// retryable reports whether the operation may run twice: a query, or a mutation whose
// every field is keyed by a non-empty input.idempotencyKey.
func retryable(oc *graphql.OperationContext) bool {
	if oc.Operation == nil {
		return false
	}
	switch oc.Operation.Operation {
	case ast.Query:
		return true
	case ast.Mutation:
		if len(oc.Operation.SelectionSet) == 0 {
			return false
		}
		for _, sel := range oc.Operation.SelectionSet {
			f, ok := sel.(*ast.Field)
			if !ok {
				return false
			}
			input, _ := f.ArgumentMap(oc.Variables)["input"].(map[string]any)
			if key, _ := input["idempotencyKey"].(string); key == "" {
				return false
			}
		}
		return true
	}
	return false
}
