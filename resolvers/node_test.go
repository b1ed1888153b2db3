package resolvers

import (
	"testing"

	"github.com/atrium-mall/atrium/graph"
)

// TestEveryNodeTypeHasAFetcher: each type implementing Node in the schema has its
// Node<Type> method, and no method names a type that is not a Node.
func TestEveryNodeTypeHasAFetcher(t *testing.T) {
	r := &Resolver{}
	fetchers := r.fetchers()
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: r}).Schema()
	nodeTypes := map[string]bool{}
	for _, def := range schema.GetPossibleTypes(schema.Types["Node"]) {
		nodeTypes[def.Name] = true
		t.Run(def.Name, func(t *testing.T) {
			if _, ok := fetchers[def.Name]; !ok {
				t.Fatalf("Node type %s has no Resolver.Node%s method", def.Name, def.Name)
			}
		})
	}
	for name := range fetchers {
		if !nodeTypes[name] {
			t.Errorf("Resolver.Node%s names no Node type of the schema", name)
		}
	}
}
