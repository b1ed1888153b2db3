package gqlserial_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/atrium-mall/atrium/internal/gqlserial"
)

// TestObjectWritesAsFieldSet: Object writes the same bytes as gqlgen's FieldSet for
// the same fields and values — plain aliases, repeated aliases (the first wins), an
// alias that needs quoting, no fields, and a selection long enough to be mapped.
func TestObjectWritesAsFieldSet(t *testing.T) {
	field := func(alias string) graphql.CollectedField {
		return graphql.CollectedField{Field: &ast.Field{Alias: alias, Name: alias}}
	}
	many := make([]string, 40)
	for i := range many {
		many[i] = fmt.Sprintf("f%d", i%35) // five repeated
	}
	cases := []struct {
		name    string
		aliases []string
	}{
		{"plain aliases", []string{"id", "kind", "at_1", "Points"}},
		{"a repeated alias", []string{"id", "kind", "id"}},
		{"an alias that needs quoting", []string{"a\"b", "c\\d", "é"}},
		{"no fields", nil},
		{"a long selection", many},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fields := make([]graphql.CollectedField, len(tc.aliases))
			values := make([]graphql.Marshaler, len(tc.aliases))
			for i, a := range tc.aliases {
				fields[i] = field(a)
				values[i] = graphql.MarshalInt(i)
			}
			fs := graphql.NewFieldSet(fields)
			copy(fs.Values, values)
			var want, got bytes.Buffer
			fs.MarshalGQL(&want)
			gqlserial.Object(fields, values).MarshalGQL(&got)
			if got.String() != want.String() {
				t.Fatalf("Object wrote %s, FieldSet %s", got.String(), want.String())
			}
		})
	}
}
