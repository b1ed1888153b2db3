package gqlserial_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/atrium-mall/atrium/internal/gqlserial"
)

const schemaSDL = `
interface Node { id: ID! }
type Query { history: [Movement!]! cards: [Card!]! nodes: [Node!]! }
type Movement { kind: String! amount: Int! card: Card! }
type Card implements Node { id: ID! number: String! cardType: CardType! }
type CardType { name: String! }
`

// types is what internal/gqlgen writes for schemaSDL, with Card.cardType loaded by a
// dataloader (concurrent) and Card.id a resolver.
var types = gqlserial.Schema{
	"Query":    {Satisfies: []string{"Query"}, Concurrent: map[string]bool{"history": true, "cards": true, "nodes": true}},
	"Movement": {Satisfies: []string{"Movement"}},
	"Card":     {Satisfies: []string{"Card", "Node"}, Concurrent: map[string]bool{"id": true, "cardType": true}},
	"CardType": {Satisfies: []string{"CardType"}},
	"Node":     {Abstract: true},
}

// selection parses query and returns the operation context and the selection set
// under the root field.
func selection(t *testing.T, query string) (*graphql.OperationContext, ast.SelectionSet) {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: schemaSDL})
	doc, errs := gqlparser.LoadQuery(schema, query)
	if errs != nil {
		t.Fatal(errs)
	}
	oc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{}}
	return oc, doc.Operations[0].SelectionSet[0].(*ast.Field).SelectionSet
}

func TestConcurrent(t *testing.T) {
	for _, tc := range []struct {
		name, query, typ string
		want             bool
	}{
		{"plain fields run in order", `{ history { kind amount } }`, "Movement", false},
		{"a nested object of plain fields", `{ history { kind card { number } } }`, "Movement", false},
		{"a concurrent field under a nested object", `{ history { kind card { number cardType { name } } } }`,
			"Movement", true},
		{"a concurrent field of the element", `{ cards { number id } }`, "Card", true},
		{"only plain fields of a type that has concurrent ones", `{ cards { number } }`, "Card", false},
		{"a concurrent field through a fragment", `{ cards { ...F } } fragment F on Card { cardType { name } }`,
			"Card", true},
		{"a concurrent field through an interface fragment", `{ cards { ... on Node { id } } }`, "Card", true},
		{"an aliased concurrent field", `{ cards { t: cardType { name } } }`, "Card", true},
		{"an abstract element type", `{ nodes { id } }`, "Node", true},
		{"a skipped concurrent field", `{ cards { number cardType @skip(if: true) { name } } }`, "Card", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oc, sel := selection(t, tc.query)
			if got := types.Concurrent(oc, sel, tc.typ); got != tc.want {
				t.Fatalf("Concurrent = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestMarshalSliceInOrder: a list of plain elements is marshalled in this goroutine,
// in order, each with its own index in its field context; a panicking element becomes
// null with an error on its path, and the others are kept.
func TestMarshalSliceInOrder(t *testing.T) {
	oc, sel := selection(t, `{ history { kind } }`)
	ctx := graphql.WithResponseContext(graphql.WithOperationContext(context.Background(), oc),
		graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "history"}}})
	var order []int
	out := types.MarshalSlice(ctx, sel, "Movement", 4, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		order = append(order, i) // no lock: a second goroutine would be caught by -race
		if got := *graphql.GetFieldContext(ctx).Index; got != i {
			t.Errorf("element %d has index %d", i, got)
		}
		if i == 2 {
			panic("boom")
		}
		return graphql.MarshalInt(i)
	})
	if len(order) != 4 || order[0] != 0 || order[3] != 3 {
		t.Fatalf("order %v", order)
	}
	var b bytes.Buffer
	out.MarshalGQL(&b)
	if b.String() != "[0,1,null,3]" {
		t.Fatalf("marshalled %s", b.String())
	}
	errs := graphql.GetErrors(ctx)
	if len(errs) != 1 || errs[0].Path.String() != "history[2]" {
		t.Fatalf("errors %v", errs)
	}
}

// TestMarshalSliceConcurrentWhenNeeded: a list whose elements reach a concurrent
// field is marshalled as gqlgen does, each element in a goroutine of its own, so
// sibling elements can wait on a dataloader together.
func TestMarshalSliceConcurrentWhenNeeded(t *testing.T) {
	oc, sel := selection(t, `{ cards { cardType { name } } }`)
	ctx := graphql.WithResponseContext(graphql.WithOperationContext(context.Background(), oc),
		graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{})
	const n = 3
	arrived := make(chan struct{})
	release := make(chan struct{})
	go func() {
		for range n {
			<-arrived
		}
		close(release) // every element is waiting at once: they run concurrently
	}()
	out := types.MarshalSlice(ctx, sel, "Card", n, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		arrived <- struct{}{}
		<-release
		return graphql.MarshalInt(i)
	})
	var b bytes.Buffer
	out.MarshalGQL(&b)
	if b.String() != "[0,1,2]" {
		t.Fatalf("marshalled %s", b.String())
	}
}
