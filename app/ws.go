package app

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/server"
)

// wsInit authenticates a websocket (graphql-transport-ws) connection from the
// connection_init payload: {"Authorization": "Bearer <token>"} or {"authToken": "<token>"}.
// An authenticated connection is guarded while it stays open: its session and token
// are re-checked every few seconds, at the token's expiry and at once when its session
// is revoked on any replica, and the socket is closed with 4401 (revoked, expired) or
// 4403 (staff grants changed); see docs/api.md.
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
	id := a.Services.Identity
	v, err := id.Authenticate(ctx, token)
	if err != nil {
		return ctx, err
	}
	expires, err := id.Expiry(token)
	if err != nil {
		return ctx, err
	}
	ctx = auth.WithViewer(ctx, v)
	return server.WithWSGuard(ctx, server.WSGuard{
		Check:   func(ctx context.Context) error { return id.Recheck(ctx, token, v) },
		Expires: expires,
		Watch:   func(ctx context.Context, notice func()) error { return id.OnRevoke(ctx, v, notice) },
	}), nil
}
