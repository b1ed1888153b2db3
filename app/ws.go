package app

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/atrium-mall/atrium/auth"
)

// wsInit authenticates a websocket (graphql-transport-ws) connection from the
// connection_init payload: {"Authorization": "Bearer <token>"} or {"authToken": "<token>"}.
func (a *App) wsInit(ctx context.Context, p transport.InitPayload) (context.Context, error) {
	token := p.Authorization()
	if token == "" {
		if t, ok := p["authToken"].(string); ok {
			token = t
		}
	}
	token = strings.TrimSpace(strings.TrimPrefix(token, "Bearer "))
	if token == "" {
		return ctx, nil // anonymous; @auth fields refuse
	}
	v, err := a.Services.Identity.Authenticate(ctx, token)
	if err != nil {
		return ctx, err
	}
	return auth.WithViewer(ctx, v), nil
}
