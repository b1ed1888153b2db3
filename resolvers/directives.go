package resolvers

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/service/errs"
)

// directives are the coarse checks at the schema; services check scope.
func directives() graph.DirectiveRoot {
	return graph.DirectiveRoot{
		Auth: func(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
			if auth.ViewerFrom(ctx) == nil {
				return nil, errs.ErrUnauthenticated
			}
			return next(ctx)
		},
		Shopper: func(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
			v := auth.ViewerFrom(ctx)
			if v == nil {
				return nil, errs.ErrUnauthenticated
			}
			if !v.IsShopper() {
				return nil, errs.ErrForbidden.Msgf("only shoppers may do this")
			}
			return next(ctx)
		},
		Staff: func(ctx context.Context, _ any, next graphql.Resolver, roles []model.Role) (any, error) {
			v := auth.ViewerFrom(ctx)
			if v == nil {
				return nil, errs.ErrUnauthenticated
			}
			if !v.IsStaff() || (len(roles) > 0 && !v.HasRole(roleIn(roles)...)) {
				return nil, errs.ErrForbidden.Msgf("requires one of the roles %v", roles)
			}
			return next(ctx)
		},
	}
}

func roleIn(roles []model.Role) []auth.Role {
	out := make([]auth.Role, len(roles))
	for i, r := range roles {
		out[i] = auth.Role(strings.ToLower(string(r)))
	}
	return out
}
