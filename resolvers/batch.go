package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
)

// Batch resolvers (gqlgen.yml batch: true) get every sibling parent of a list at once
// and load what they need in one call; the types holding them can be @serial (see
// schema/common.graphqls), resolved without a goroutine per field.

// batchByKey loads fetch's values for the parents' keys (each distinct key once) and
// returns one value per parent, in order. Per-parent errors (fetch's, in key order) are
// returned as a graphql.BatchErrorList so each lands on its own parent's field.
func batchByKey[P any, V any](ctx context.Context, parents []*P, key func(*P) uuid.UUID,
	fetch func(context.Context, []uuid.UUID) ([]V, []error),
) ([]V, error) {
	at := make(map[uuid.UUID]int, len(parents))
	var keys []uuid.UUID
	for _, p := range parents {
		k := key(p)
		if _, ok := at[k]; !ok {
			at[k] = len(keys)
			keys = append(keys, k)
		}
	}
	vals, errs := fetch(ctx, keys)
	out := make([]V, len(parents))
	var perParent graphql.BatchErrorList
	for i, p := range parents {
		j := at[key(p)]
		if j < len(errs) && errs[j] != nil {
			if perParent == nil {
				perParent = make(graphql.BatchErrorList, len(parents))
			}
			perParent[i] = errs[j]
			continue
		}
		if j < len(vals) {
			out[i] = vals[j]
		}
	}
	if perParent != nil {
		return out, perParent
	}
	return out, nil
}

// batchEach resolves each parent with one, in order; its errors are per parent.
func batchEach[P any, V any](ctx context.Context, parents []*P, one func(context.Context, *P) (V, error)) ([]V, error) {
	out := make([]V, len(parents))
	var perParent graphql.BatchErrorList
	for i, p := range parents {
		v, err := one(ctx, p)
		if err != nil {
			if perParent == nil {
				perParent = make(graphql.BatchErrorList, len(parents))
			}
			perParent[i] = err
			continue
		}
		out[i] = v
	}
	if perParent != nil {
		return out, perParent
	}
	return out, nil
}
