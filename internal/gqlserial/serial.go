// Package gqlserial marshals a GraphQL list's elements one after another, in the
// goroutine of the field that returned the list, whenever nothing selected under the
// elements is resolved concurrently.
//
// gqlgen marshals every list of objects with a goroutine per element
// (graphql.MarshalSliceConcurrently), so that resolvers of sibling elements can wait
// on a dataloader together. When the selection under the elements reaches no such
// resolver — the twenty movements of a card's history, a page of coupons without
// their QR images — those goroutines only cost: their start, their stacks growing
// through gqlgen's deep marshalling path, and the scheduler's hand-offs (about a
// third of a member-home request's CPU before this package). Running the elements in
// order is always correct (gqlgen runs mutations that way); it is only slower when a
// resolver under the elements does I/O, which is exactly when MarshalSlice keeps
// gqlgen's concurrent marshalling.
//
// The generated code (internal/gqlgen, `make generate`) describes every object,
// interface and union of the schema as a Type and routes each list of them through
// Schema.MarshalSlice.
package gqlserial

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Type is what MarshalSlice needs to know of a composite GraphQL type.
type Type struct {
	// Satisfies is the type's name and the interfaces it implements: the type
	// conditions under which a fragment's fields apply to it.
	Satisfies []string
	// Concurrent names the fields gqlgen resolves in a goroutine of their own
	// (resolvers, and model methods that take a context).
	Concurrent map[string]bool
	// Abstract is an interface or a union: which fields run concurrently depends on
	// each element's concrete type, so its lists stay concurrent.
	Abstract bool
}

// Schema is the composite types by name; a name it lacks is a scalar or an enum.
type Schema map[string]Type

// maxDepth bounds the walk: a selection deeper than the server's depth limit is
// treated as concurrent (and is refused before execution anyway).
const maxDepth = 64

// Concurrent reports whether anything selected by sel on a value of type typ is
// resolved concurrently.
func (s Schema) Concurrent(oc *graphql.OperationContext, sel ast.SelectionSet, typ string) bool {
	return s.concurrent(oc, sel, typ, 0)
}

func (s Schema) concurrent(oc *graphql.OperationContext, sel ast.SelectionSet, typ string, depth int) bool {
	t, ok := s[typ]
	if !ok {
		return false
	}
	if t.Abstract || depth > maxDepth {
		return true
	}
	for _, f := range graphql.CollectFields(oc, sel, t.Satisfies) {
		if t.Concurrent[f.Name] {
			return true
		}
		if f.Definition != nil && len(f.Selections) > 0 &&
			s.concurrent(oc, f.Selections, f.Definition.Type.Name(), depth+1) {
			return true
		}
	}
	return false
}

// MarshalSlice marshals n elements of type typ selected by sel: in order in this
// goroutine when nothing under them is resolved concurrently, else as gqlgen does
// (graphql.MarshalSliceConcurrently with the same worker limit and panic handling).
func (s Schema) MarshalSlice(ctx context.Context, sel ast.SelectionSet, typ string, n int, workerLimit int64,
	omitPanicHandler bool, marshal func(ctx context.Context, i int) graphql.Marshaler,
) graphql.Array {
	if n > 1 && s.Concurrent(graphql.GetOperationContext(ctx), sel, typ) {
		return graphql.MarshalSliceConcurrently(ctx, n, workerLimit, omitPanicHandler, marshal)
	}
	ret := make(graphql.Array, n)
	for i := range n {
		ret[i] = element(ctx, i, omitPanicHandler, marshal)
	}
	return ret
}

// element marshals element i under its own field context (the index in error
// paths), turning a panic into a field error and null as gqlgen does.
func element(ctx context.Context, i int, omitPanicHandler bool,
	marshal func(ctx context.Context, i int) graphql.Marshaler,
) (out graphql.Marshaler) {
	idx := i
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &idx})
	if !omitPanicHandler {
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, graphql.Recover(ctx, r))
				out = graphql.Null
			}
		}()
	}
	return marshal(ctx, i)
}
