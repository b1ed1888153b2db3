// Package resolvers is the GraphQL layer: thin resolvers that read the viewer, map the
// input, call one service method and map the result. Business rules live in service/.
package resolvers

import (
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/service/identity"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
)

// Services are the business services the resolvers call. A new context adds its
// service here and wires it in server.NewServices.
type Services struct {
	Org      *org.Service
	Identity *identity.Service
	Members  *members.Service
}

// Resolver is the root resolver.
type Resolver struct {
	Services
}

// Config returns the executable schema's configuration: resolvers and directives.
func Config(s Services) graph.Config {
	return graph.Config{Resolvers: &Resolver{Services: s}, Directives: directives(), Complexity: complexity()}
}
