package server

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
)

// fieldWatcher is a field interceptor, which the generated leaf fields would bypass.
type fieldWatcher struct{}

func (fieldWatcher) ExtensionName() string                   { return "fieldWatcher" }
func (fieldWatcher) Validate(graphql.ExecutableSchema) error { return nil }
func (fieldWatcher) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	return next(ctx)
}

// TestUseRefusesFieldInterceptors: NewGraphQL's extensions go through use, which
// refuses a field interceptor at start instead of letting it miss most fields.
func TestUseRefusesFieldInterceptors(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("use accepted a field interceptor")
		}
	}()
	use(handler.New(nil), fieldWatcher{})
}
