package resolvers

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"
)

// Relation fields load through per-request dataloaders that call service batch
// methods (so authorization stays in the services). A context needs no registration:
// its resolver calls load(ctx, "<ctx>.<what>", r.<Ctx>.<BatchMethod>, key) and the
// request's loader for that name is made on first use.

// loaderSet holds one request's loaders by name; never shared between requests (or
// viewers), so nothing cached for one viewer reaches another.
type loaderSet struct {
	mu      sync.Mutex
	loaders map[string]any
}

type loadersKey struct{}

// batchWait is how long a loader waits to gather keys into one batch. gqlgen resolves
// a list's items concurrently, so their keys arrive within microseconds; every wait
// is on the request's critical path (the member home chains two: a member's cards,
// then their card types), so it is kept short.
const batchWait = 500 * time.Microsecond

// LoaderMiddleware gives every request a fresh set of loaders.
func LoaderMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, &loaderSet{loaders: map[string]any{}})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// FreshLoaders returns ctx with a new, empty set of loaders (a query run again after a
// lost database connection must not get the first run's cached errors).
func FreshLoaders(ctx context.Context) context.Context {
	return context.WithValue(ctx, loadersKey{}, &loaderSet{loaders: map[string]any{}})
}

// load returns the value for key from the request's loader named name, batching keys
// through fetch; outside a request with loaders (jobs, tests) it calls fetch directly.
func load[K comparable, V any](ctx context.Context, name string, fetch func(context.Context, []K) ([]V, []error), key K) (V, error) {
	set, ok := ctx.Value(loadersKey{}).(*loaderSet)
	if !ok {
		vals, errs := fetch(ctx, []K{key})
		var zero V
		if len(errs) > 0 && errs[0] != nil {
			return zero, errs[0]
		}
		if len(vals) == 0 {
			return zero, nil
		}
		return vals[0], nil
	}
	set.mu.Lock()
	l, ok := set.loaders[name].(*dataloadgen.Loader[K, V])
	if !ok {
		l = dataloadgen.NewLoader(fetch, dataloadgen.WithWait(batchWait))
		set.loaders[name] = l
	}
	set.mu.Unlock()
	return l.Load(ctx, key)
}
