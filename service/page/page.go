// Package page is keyset pagination shared by every list: a request is "the first N
// after this cursor", a cursor is an opaque encoding of the last row's UUIDv7 id (ids
// sort by creation time), and results say whether there is more.
package page

import (
	"encoding/base64"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/errs"
)

// Limits on first.
const (
	DefaultFirst = 20
	MaxFirst     = 100
)

// Request asks for the First items after After (uuid.Nil: from the start).
type Request struct {
	First int
	After uuid.UUID
}

// Limit is First+1: the extra row tells whether a next page exists.
func (r Request) Limit() int { return r.First + 1 }

// Parse validates GraphQL's first/after arguments.
func Parse(first *int, after *string) (Request, error) {
	r := Request{First: DefaultFirst}
	if first != nil {
		if *first < 0 || *first > MaxFirst {
			return r, errs.Invalid("first", "first must be between 0 and %d", MaxFirst)
		}
		r.First = *first
	}
	if after != nil && *after != "" {
		id, err := DecodeCursor(*after)
		if err != nil {
			return r, errs.Invalid("after", "malformed cursor")
		}
		r.After = id
	}
	return r, nil
}

// Result is one page.
type Result[T any] struct {
	Items   []T
	HasNext bool
}

// Cut trims rows fetched with Limit() to the page and sets HasNext.
func Cut[T any](r Request, rows []T) Result[T] {
	if len(rows) > r.First {
		return Result[T]{Items: rows[:r.First], HasNext: true}
	}
	return Result[T]{Items: rows}
}

const cursorPrefix = "c1:"

// Cursor encodes id as an opaque cursor.
func Cursor(id uuid.UUID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id.String()))
}

// DecodeCursor reverses Cursor.
func DecodeCursor(c string) (uuid.UUID, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return uuid.Nil, errs.Invalid("after", "malformed cursor")
	}
	return uuid.Parse(strings.TrimPrefix(string(b), cursorPrefix))
}
