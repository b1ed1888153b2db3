package server

import (
	"context"
	"crypto/sha256"
	"encoding/json"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

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

// complexityCacheSize is how many (document, operation, variables) prices
// ComplexityLimit remembers; a query whose variables take more than
// maxRememberedVariables bytes of JSON is priced every time.
const (
	complexityCacheSize    = 1000
	maxRememberedVariables = 2048
)

// ComplexityLimit refuses an operation whose complexity (pricedSchema) is above
// its limit, as gqlgen's extension.FixedComplexityLimit does — the same error, code and
// stats — but remembers each price: the walk over the whole selection costs as much
// as resolving a small query's leaves, and the mini-program sends the same few
// documents with the same few variables all day. The price depends only on the
// document, the operation and the variables, whose hash is the key. Only queries are
// remembered (a mutation's variables carry fresh idempotency keys), and only with
// small variables.
type ComplexityLimit struct {
	limit int
	inner *extension.ComplexityLimit
	cache *lru.LRU[int]
}

var _ interface {
	graphql.OperationContextMutator
	graphql.HandlerExtension
} = (*ComplexityLimit)(nil)

// NewComplexityLimit is a ComplexityLimit of limit.
func NewComplexityLimit(limit int) *ComplexityLimit {
	return &ComplexityLimit{limit: limit, inner: extension.FixedComplexityLimit(limit),
		cache: lru.New[int](complexityCacheSize)}
}

// ExtensionName implements graphql.HandlerExtension.
func (c *ComplexityLimit) ExtensionName() string { return c.inner.ExtensionName() }

// Validate implements graphql.HandlerExtension.
func (c *ComplexityLimit) Validate(s graphql.ExecutableSchema) error { return c.inner.Validate(s) }

// MutateOperationContext implements graphql.OperationContextMutator.
func (c *ComplexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil || op.Operation != ast.Query {
		return c.inner.MutateOperationContext(ctx, oc) // mutations carry fresh keys: nothing to reuse
	}
	vars, err := json.Marshal(oc.Variables) // map keys sorted: one key per set of values
	if err != nil || len(vars) > maxRememberedVariables {
		return c.inner.MutateOperationContext(ctx, oc)
	}
	h := sha256.New()
	for _, part := range [][]byte{[]byte(oc.RawQuery), {0}, []byte(oc.OperationName), {0}, vars} {
		h.Write(part)
	}
	key := string(h.Sum(nil)) // 32 bytes whatever the document's length
	price, ok := c.cache.Get(ctx, key)
	if !ok {
		if gerr := c.inner.MutateOperationContext(ctx, oc); gerr != nil {
			return gerr
		}
		if s, ok := oc.Stats.GetExtension(c.inner.ExtensionName()).(*extension.ComplexityStats); ok {
			c.cache.Add(ctx, key, s.Complexity)
		}
		return nil
	}
	oc.Stats.SetExtension(c.inner.ExtensionName(), &extension.ComplexityStats{Complexity: price, ComplexityLimit: c.limit})
	return nil
}
