package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/atrium-mall/atrium/service/errs"
)

// Close codes of graphql-transport-ws for a connection whose credentials no longer hold.
const (
	// WSCloseUnauthorized closes a socket whose session was revoked (logout, refresh
	// token reuse) or whose access token expired: log in or refresh, then reconnect.
	WSCloseUnauthorized = 4401
	// WSCloseForbidden closes a socket whose connection_init was refused, or whose
	// staff account's grants changed while it was open.
	WSCloseForbidden = 4403
)

// websocketInternalError (RFC 6455 1011) closes a connection the server could not set up.
const websocketInternalError = 1011

// DefaultWSRecheck is how often an open websocket re-checks its credentials.
const DefaultWSRecheck = 5 * time.Second

// WSGuard keeps an authenticated websocket connection honest while it stays open.
// WSInit attaches one to the context it returns (WithWSGuard); the server then runs
// Check every recheck interval, at Expires, and on every notice from Watch, and closes
// the socket with 4401 (errs.KindUnauthenticated) or 4403 (errs.KindForbidden) when
// Check says so. Other errors (Redis briefly away) are retried at the next check.
type WSGuard struct {
	Check   func(context.Context) error
	Expires time.Time // the access token's expiry (wall clock); zero: none
	// Watch, when set, arranges (until ctx ends) for notice to be called as soon as the
	// credentials may have been revoked, e.g. from a Redis revocation notice. notice does
	// not block; from that moment the socket sends nothing until Check has answered
	// (at most wsHoldMax), so an event published after a logout never reaches it.
	Watch func(ctx context.Context, notice func()) error
}

// wsHoldMax bounds how long a notice holds a socket's messages back.
const wsHoldMax = 5 * time.Second

type wsGuardKey struct{}

// WithWSGuard attaches g to a websocket connection's context.
func WithWSGuard(ctx context.Context, g WSGuard) context.Context {
	return context.WithValue(ctx, wsGuardKey{}, g)
}

// wsSlot carries a websocket connection from the transport's Accept to its InitFunc
// through the request context (gqlgen passes r.Context() to both): the guard needs
// the connection to close it with its own close code, since gqlgen closes a cancelled
// connection with 1000.
type wsSlot struct {
	mu   sync.Mutex
	conn *guardedConn
}

type wsSlotKey struct{}

// withWSSlot gives every websocket upgrade request a slot, and ends the connection's
// context when the transport is done with it.
func withWSSlot(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") == "" {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithCancel(context.WithValue(r.Context(), wsSlotKey{}, &wsSlot{}))
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// guardedWebsocket wraps the transport's websocket implementation so that the
// connection's close code can be chosen by its guard.
type guardedWebsocket struct {
	transport.WebsocketImplementation
}

func (g guardedWebsocket) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	c, err := g.WebsocketImplementation.Accept(w, r, o)
	if err != nil {
		return c, err
	}
	gc := &guardedConn{WebsocketConn: c}
	if slot, ok := r.Context().Value(wsSlotKey{}).(*wsSlot); ok {
		slot.mu.Lock()
		slot.conn = gc
		slot.mu.Unlock()
	}
	return gc, nil
}

// guardedConn closes with the code its guard set, if any, instead of the one gqlgen
// asks for; while its guard holds it, messages wait; once a close code is set, nothing
// more is sent.
type guardedConn struct {
	transport.WebsocketConn
	mu     sync.Mutex
	code   int
	reason string
	gate   chan struct{} // while held: closed when the guard has decided
}

func (c *guardedConn) closeWith(code int, reason string) {
	if len(reason) > 120 { // a close frame's reason is at most 123 bytes
		reason = reason[:120]
	}
	c.mu.Lock()
	c.code, c.reason = code, reason
	c.mu.Unlock()
	c.release()
}

// hold makes messages wait until release (or closeWith).
func (c *guardedConn) hold() {
	c.mu.Lock()
	if c.gate == nil && c.code == 0 {
		c.gate = make(chan struct{})
	}
	c.mu.Unlock()
}

func (c *guardedConn) release() {
	c.mu.Lock()
	if c.gate != nil {
		close(c.gate)
		c.gate = nil
	}
	c.mu.Unlock()
}

func (c *guardedConn) WriteJSON(v any) error {
	c.mu.Lock()
	gate := c.gate
	c.mu.Unlock()
	if gate != nil {
		t := time.NewTimer(wsHoldMax)
		select {
		case <-gate:
		case <-t.C:
		}
		t.Stop()
	}
	c.mu.Lock()
	closing := c.code != 0
	c.mu.Unlock()
	if closing {
		return nil // the guard closes the socket: nothing more reaches the client
	}
	return c.WebsocketConn.WriteJSON(v)
}

func (c *guardedConn) WriteClose(code int, msg string) error {
	c.mu.Lock()
	if c.code != 0 {
		code, msg = c.code, c.reason
	}
	c.mu.Unlock()
	return c.WebsocketConn.WriteClose(code, msg)
}

func (c *guardedConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *guardedConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// wsInitFunc adapts f to gqlgen: a refused connection_init closes with 4403; an
// accepted one with a guard gets a context the guard cancels, after setting the close
// code, when the credentials stop holding.
func wsInitFunc(f func(context.Context, transport.InitPayload) (context.Context, error), every time.Duration, log *slog.Logger) transport.WebsocketInitFunc {
	if f == nil {
		return nil
	}
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		slot, _ := ctx.Value(wsSlotKey{}).(*wsSlot)
		next, err := f(ctx, p)
		if err != nil {
			return transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, WSCloseForbidden), "Forbidden"), nil, err
		}
		g, ok := next.Value(wsGuardKey{}).(WSGuard)
		if !ok || g.Check == nil || slot == nil {
			return next, nil, nil
		}
		slot.mu.Lock()
		conn := slot.conn
		slot.mu.Unlock()
		if conn == nil {
			return next, nil, nil
		}
		next, cancel := context.WithCancel(next)
		kick := make(chan struct{}, 1)
		if g.Watch != nil {
			notice := func() {
				conn.hold()
				select {
				case kick <- struct{}{}:
				default:
				}
			}
			if err := g.Watch(next, notice); err != nil {
				cancel()
				return transport.WithWebsocketCloseCode(ctx, websocketInternalError), nil, err
			}
		}
		go guard(next, cancel, conn, g, kick, every, log)
		return next, nil, nil
	}
}

// guard runs g's checks until ctx ends or a check fails; then it sets the close code
// and cancels ctx, which makes gqlgen end the subscriptions and close the socket.
func guard(ctx context.Context, cancel context.CancelFunc, conn *guardedConn, g WSGuard, kick <-chan struct{}, every time.Duration, log *slog.Logger) {
	defer cancel()
	tick := time.NewTicker(every)
	defer tick.Stop()
	var expiry <-chan time.Time
	if !g.Expires.IsZero() {
		t := time.NewTimer(time.Until(g.Expires) + 10*time.Millisecond)
		defer t.Stop()
		expiry = t.C
	}
	for {
		select {
		case <-ctx.Done():
			conn.release()
			return
		case <-tick.C:
		case <-expiry:
			expiry = nil
		case <-kick:
		}
		if code, reason := wsVerdict(g.Check(ctx)); code != 0 {
			conn.closeWith(code, reason)
			if log != nil {
				log.InfoContext(ctx, "websocket closed: credentials no longer hold", "code", code, "reason", reason,
					"request_id", RequestID(ctx))
			}
			return
		}
		conn.release()
	}
}

// wsVerdict maps a check's error to a close code and reason; 0 keeps the socket open.
func wsVerdict(err error) (int, string) {
	e, ok := errs.As(err)
	switch {
	case err == nil || !ok:
		return 0, ""
	case e.Kind == errs.KindUnauthenticated:
		return WSCloseUnauthorized, "Unauthorized: " + e.Message
	case e.Kind == errs.KindForbidden:
		return WSCloseForbidden, "Forbidden: " + e.Message
	}
	return 0, ""
}
