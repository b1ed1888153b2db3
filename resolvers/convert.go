package resolvers

import (
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// userErrors splits a service error: business outcomes become userErrors for the
// payload (and a nil error); anything else is returned for the error presenter.
func userErrors(err error) ([]model.UserError, error) {
	if err == nil {
		return []model.UserError{}, nil
	}
	if errors.Is(err, storage.ErrIdempotencyMismatch) {
		err = errs.ErrIdempotencyKey
	}
	if errors.Is(err, relay.ErrBadID) {
		err = errs.Invalid("input", "malformed global ID")
	}
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.KindUser {
		return nil, err
	}
	return []model.UserError{{Code: e.Code, Field: e.Field, Message: e.Message}}, nil
}

// upper maps a service enum value (snake_case) to its GraphQL enum (SCREAMING_SNAKE).
func upper[T ~string](s string) T { return T(strings.ToUpper(s)) }

// lower maps a GraphQL enum to the service's value.
func lower[T ~string](e T) string { return strings.ToLower(string(e)) }

// pageInfo and edges build a Relay connection from a keyset page.
func connection[T any, E any](res page.Result[T], id func(T) uuid.UUID, edge func(cursor string, n T) E) ([]E, model.PageInfo) {
	out := make([]E, len(res.Items))
	info := model.PageInfo{HasNextPage: res.HasNext}
	for i, n := range res.Items {
		c := page.Cursor(id(n))
		out[i] = edge(c, n)
		if i == 0 {
			info.StartCursor = &c
		}
		info.EndCursor = &c
	}
	return out, info
}

// globalID parses a global ID of the given type or returns a BAD_USER_INPUT error.
func globalID(typeName, id string) (uuid.UUID, error) {
	u, err := relay.ParseAs(typeName, id)
	if err != nil {
		return uuid.Nil, errs.Invalid("id", "%q is not a %s ID", id, typeName)
	}
	return u, nil
}
