package auth

import "context"

type clientKey struct{}

// WithClient returns ctx carrying the caller's network address (the HTTP server puts
// the peer's IP there), so rules that count per client — the login back-off — can.
func WithClient(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

// ClientFrom returns the caller's address, or "" outside a request.
func ClientFrom(ctx context.Context) string {
	a, _ := ctx.Value(clientKey{}).(string)
	return a
}
