package resolvers

import (
	"context"
	"reflect"
	"strings"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/errs"
)

type nodeFetcher func(ctx context.Context, id uuid.UUID) (relay.Node, error)

// nodePrefix names the methods that load a Node type: a context's resolver code
// defines, for each Node type T of its schema, `func (r *Resolver) NodeT(ctx, id)
// (relay.Node, error)` calling its service (which authorizes), and node(id:) finds it
// by name; no central list to edit (TestEveryNodeTypeHasAFetcher checks the schema
// against these methods).
const nodePrefix = "Node"

var fetcherType = reflect.TypeOf((*nodeFetcher)(nil)).Elem()

// fetchers maps a global ID's type name to its Node method.
func (r *Resolver) fetchers() map[string]nodeFetcher {
	out := map[string]nodeFetcher{}
	v := reflect.ValueOf(r)
	for i := range v.NumMethod() {
		name := v.Type().Method(i).Name
		m := v.Method(i)
		if !strings.HasPrefix(name, nodePrefix) || len(name) == len(nodePrefix) || !m.Type().ConvertibleTo(fetcherType) {
			continue
		}
		out[strings.TrimPrefix(name, nodePrefix)] = m.Convert(fetcherType).Interface().(nodeFetcher)
	}
	return out
}

// node loads any object by global ID through its service, so authorization is the
// same as for every other path to it.
func (r *Resolver) node(ctx context.Context, global string) (relay.Node, error) {
	typeName, id, err := relay.Parse(global)
	if err != nil {
		return nil, errs.Invalid("id", "malformed global ID")
	}
	fetch, ok := r.nodes[typeName]
	if !ok {
		return nil, errs.ErrNotFound
	}
	n, err := fetch(ctx, id)
	if err != nil {
		return nil, err
	}
	return n, nil
}
