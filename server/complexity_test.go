package server

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// plain is a schema whose own rule is gqlgen's default (not priced).
type plain struct{ graphql.ExecutableSchema }

func (plain) Complexity(context.Context, string, string, int, map[string]any) (int, bool) {
	return 0, false
}

func TestPricedSchema(t *testing.T) {
	s := pricedSchema{plain{}}
	cases := []struct {
		name      string
		typ, fld  string
		child     int
		args      map[string]any
		want      int
		wantOwned bool
	}{
		{"page of the default size", "Query", "malls", 3, map[string]any{"first": nil}, 1 + 3*20, true},
		{"page of the asked size", "Query", "members", 5, map[string]any{"first": int64(100)}, 1 + 5*100, true},
		{"page size from a variable", "Mall", "merchants", 2, map[string]any{"first": 50}, 1 + 2*50, true},
		{"a sync feed is priced as a full page", "Query", "redemptionChanges", 3, map[string]any{"first": int64(500)}, 1 + 3*100, true},
		{"any context's list, no line of its own", "Query", "leaseContracts", 4, map[string]any{"first": int64(10)}, 41, true},
		{"nodes by the number of ids", "Query", "nodes", 2, map[string]any{"ids": []any{"a", "b", "c"}}, 7, true},
		{"other fields keep gqlgen's rule", "Query", "me", 9, map[string]any{}, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, owned := s.Complexity(context.Background(), tc.typ, tc.fld, tc.child, tc.args)
			if got != tc.want || owned != tc.wantOwned {
				t.Fatalf("Complexity = %d, %v; want %d, %v", got, owned, tc.want, tc.wantOwned)
			}
		})
	}
}
