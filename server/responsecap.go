package server

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// DefaultMaxResponseBytes is the largest GraphQL response sent (ATRIUM_GRAPHQL_MAX_RESPONSE).
const DefaultMaxResponseBytes = 4 << 20

// ResponseCap refuses a response larger than Max bytes: its data is dropped and the
// client gets one small error (extensions.code RESPONSE_TOO_LARGE) instead of megabytes.
// The complexity and depth limits keep what is computed bounded; this bounds what is
// sent, whatever slipped through them (long texts, many errors).
type ResponseCap struct{ Max int }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = ResponseCap{}

// ExtensionName implements graphql.HandlerExtension.
func (ResponseCap) ExtensionName() string { return "ResponseCap" }

// Validate implements graphql.HandlerExtension.
func (ResponseCap) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (c ResponseCap) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return resp
	}
	size := len(resp.Data)
	if size <= c.Max && len(resp.Errors) > 0 {
		if b, err := json.Marshal(resp.Errors); err == nil {
			size += len(b)
		}
	}
	if size <= c.Max && len(resp.Extensions) > 0 {
		if ext, err := json.Marshal(resp.Extensions); err == nil {
			size += len(ext)
		}
	}
	if size <= c.Max {
		return resp
	}
	return &graphql.Response{Errors: gqlerror.List{{
		Message:    fmt.Sprintf("the response is larger than %d bytes; ask for fewer items or fields", c.Max),
		Extensions: map[string]any{"code": "RESPONSE_TOO_LARGE", "maxBytes": c.Max},
	}}}
}
