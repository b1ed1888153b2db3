package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/service/workorders"
)

// Serve runs the HTTP server and the workers until ctx is cancelled (SIGTERM), then
// shuts down gracefully: the listener closes, in-flight requests get up to grace to
// finish, and the workers finish their running jobs.
func (a *App) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10, // a GET query and its token fit; larger is 431 before any work
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if err := a.Workers.Start(context.WithoutCancel(ctx)); err != nil { // stopped softly below
		return err
	}
	stopIoT, err := a.startIoT(ctx)
	if err != nil {
		return errors.Join(err, a.Workers.Stop(context.WithoutCancel(ctx)))
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
	err = srv.Shutdown(sctx)
	if ierr := stopIoT(sctx); ierr != nil {
		err = errors.Join(err, ierr)
	}
	if werr := a.Workers.Stop(sctx); werr != nil && !errors.Is(werr, context.Canceled) {
		err = errors.Join(err, werr)
	}
	return err
}

// startIoT starts the MQTT bridge (and the embedded broker when ATRIUM_MQTT_URL is empty).
func (a *App) startIoT(ctx context.Context) (func(context.Context) error, error) {
	m := a.Cfg.MQTT
	cfg := iot.Config{URL: a.Cfg.MQTTURL, Listen: a.Cfg.MQTTListen, ClientID: m.ClientID,
		SharedGroup: m.SharedGroup, Username: m.Username, Password: m.Password, MaxPacket: uint32(m.MaxPacket)}
	if m.SharedGroup != "" && a.Cfg.MQTTURL != "" { // replicas: slot client ids, dead replicas' sessions drained
		cfg.Slots = m.Slots
	}
	stop, err := iot.Start(ctx, cfg, iot.Deps{DB: a.DB, Devices: a.Services.Devices,
		Handlers: iot.Services{Arrivals: a.Services.Arrivals, Anomalies: workorders.Hooks{S: a.Services.WorkOrders}}, Log: a.Log, Metrics: a.iotMetrics})
	if err != nil {
		return nil, fmt.Errorf("mqtt bridge (ATRIUM_MQTT_URL / ATRIUM_MQTT_LISTEN): %w", err)
	}
	return stop, nil
}
