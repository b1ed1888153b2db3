package app

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Serve runs the HTTP server and the workers until ctx is cancelled (SIGTERM), then
// shuts down gracefully: the listener closes, in-flight requests get up to grace to
// finish, and the workers finish their running jobs.
func (a *App) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if err := a.Workers.Start(context.WithoutCancel(ctx)); err != nil { // stopped softly below
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.Log.Info("serving", "addr", ln.Addr().String(), "env", a.Cfg.Env)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if werr := a.Workers.Stop(sctx); werr != nil && !errors.Is(werr, context.Canceled) {
		err = errors.Join(err, werr)
	}
	return err
}
