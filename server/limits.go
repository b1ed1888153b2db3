package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits that act before work is done, so an anonymous request cannot take gigabytes
// and minutes: the parser stops at MaxTokens (a document of a million unknown fields
// or repeated directives is refused while it is read), and a response carries at most
// MaxErrors errors (the rest are counted in one last error, not rendered).
const (
	// DefaultMaxTokens is far above any first-party operation (the largest, the
	// member home, is 111 tokens; GraphiQL's introspection query a few hundred) and low
	// enough that reading a document at the limit costs a few times `{ __typename }`.
	DefaultMaxTokens = 1000
	// DefaultAnonymousTokens is the token limit of a caller without credentials (see
	// EarlyValidation).
	DefaultAnonymousTokens = 500
	// DefaultMaxErrors is how many errors one response lists.
	DefaultMaxErrors = 20
)

// ErrorCap keeps the first Max errors of a response and replaces the rest with one
// error saying how many were left out (extensions.code TOO_MANY_ERRORS).
type ErrorCap struct{ Max int }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = ErrorCap{}

// ExtensionName implements graphql.HandlerExtension.
func (ErrorCap) ExtensionName() string { return "ErrorCap" }

// Validate implements graphql.HandlerExtension.
func (ErrorCap) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (c ErrorCap) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || len(resp.Errors) <= c.Max {
		return resp
	}
	left := len(resp.Errors) - c.Max
	resp.Errors = append(resp.Errors[:c.Max:c.Max], &gqlerror.Error{
		Message:    fmt.Sprintf("%d more errors not shown", left),
		Extensions: map[string]any{"code": "TOO_MANY_ERRORS"},
	})
	return resp
}
