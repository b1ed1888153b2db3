package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/atrium-mall/atrium/service/page"
)

// pricedSchema prices every list by what it may really load, for every context at
// once, so a new context's lists need no line of their own: a field with a `first`
// argument costs 1 + its children times the page size (the argument, or the schema's
// default; a sync feed taking more than a standard page, such as redemptionChanges'
// 500, is priced as a full page of page.MaxFirst), and `nodes(ids:)` costs 1 + its children times the number of ids. Other
// fields keep gqlgen's rule, 1 + children.
type pricedSchema struct {
	graphql.ExecutableSchema
}

// Complexity implements graphql.ExecutableSchema.
func (s pricedSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if first, ok := args["first"]; ok {
		n := page.DefaultFirst
		if v, ok := asInt(first); ok && v > 0 {
			n = min(v, page.MaxFirst)
		}
		return 1 + child*n, true
	}
	if ids, ok := args["ids"].([]any); ok && typeName == "Query" && field == "nodes" {
		return 1 + child*len(ids), true
	}
	return s.ExecutableSchema.Complexity(ctx, typeName, field, child, args)
}

// asInt reads an integer argument as the parser or a variable gives it.
func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int32:
		return int(n), true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	}
	return 0, false
}
