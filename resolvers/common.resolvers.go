package resolvers

import (
	"context"

	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/resolvers/relay"
)

// Node is the resolver for the node field.
func (r *queryResolver) Node(ctx context.Context, id string) (relay.Node, error) {
	return r.node(ctx, id)
}

// Nodes is the resolver for the nodes field.
func (r *queryResolver) Nodes(ctx context.Context, ids []string) ([]relay.Node, error) {
	out := make([]relay.Node, len(ids))
	for i, id := range ids {
		n, err := r.node(ctx, id)
		if err == nil {
			out[i] = n
		}
	}
	return out, nil
}

// Mutation returns graph.MutationResolver implementation.
func (r *Resolver) Mutation() graph.MutationResolver { return &mutationResolver{r} }

// Query returns graph.QueryResolver implementation.
func (r *Resolver) Query() graph.QueryResolver { return &queryResolver{r} }

type mutationResolver struct{ *Resolver }
type queryResolver struct{ *Resolver }
