// Package errs is the shape of every business error: a kind that decides how the
// transport shows it, a stable machine code, an optional field path and a message.
//
// Services declare their own sentinels with New (members.ErrCardFrozen,
// coupons.ErrSoldOut) and return them, or copies made with At/Msgf, which still match
// the sentinel with errors.Is. One presenter (resolvers) maps kinds to GraphQL.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says how a client should see an error.
type Kind int

// The kinds of errors.
const (
	// KindInternal: a bug or an outage; shown to clients as "internal error".
	KindInternal Kind = iota
	// KindUser: a business outcome the client branches on (userErrors in payloads).
	KindUser
	// KindNotFound: the thing does not exist or is invisible to the viewer.
	KindNotFound
	// KindForbidden: the viewer may not do this.
	KindForbidden
	// KindUnauthenticated: no valid viewer.
	KindUnauthenticated
)

// Error is a business error.
type Error struct {
	Kind    Kind
	Code    string   // stable, SCREAMING_SNAKE_CASE, e.g. INSUFFICIENT_BALANCE
	Field   []string // input path the error is about, e.g. ["input", "amount"]
	Message string
}

// New declares a sentinel error.
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

func (e *Error) Error() string {
	if len(e.Field) > 0 {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(e.Field, "."))
	}
	return e.Code + ": " + e.Message
}

// Is matches another *Error with the same kind and code, so copies match sentinels.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Code == e.Code
}

// At returns a copy that names the input field path.
func (e *Error) At(field ...string) *Error {
	c := *e
	c.Field = field
	return &c
}

// Msgf returns a copy with a more specific message.
func (e *Error) Msgf(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// Common sentinels.
var (
	ErrNotFound        = New(KindNotFound, "NOT_FOUND", "not found")
	ErrForbidden       = New(KindForbidden, "FORBIDDEN", "not allowed")
	ErrUnauthenticated = New(KindUnauthenticated, "UNAUTHENTICATED", "authentication required")
	ErrInvalid         = New(KindUser, "INVALID_INPUT", "invalid input")
	ErrIdempotencyKey  = New(KindUser, "IDEMPOTENCY_KEY_REUSED", "idempotency key was used with different arguments")
)

// Invalid reports bad input at field.
func Invalid(field string, format string, args ...any) *Error {
	return ErrInvalid.At(strings.Split(field, ".")...).Msgf(format, args...)
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Each returns n copies of err: the per-key errors of a batch lookup (a dataloader's
// fetch) that failed as a whole.
func Each(n int, err error) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}
