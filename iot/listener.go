package iot

import (
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/mochi-mqtt/server/v2/listeners"
)

// connectTimeout bounds how long a new connection may take to send its CONNECT: mochi
// sets no deadline before it, so a silent connection would otherwise be held for ever
// (and keep the broker's Close waiting for it).
const connectTimeout = 10 * time.Second

// listener is a mochi listener that knows every connection it accepted, so closing it
// ends them all (also those still before or inside their CONNECT, which mochi's own
// listeners leave open) and waits until mochi has finished with each. mochi's Close
// waits for all its client goroutines; with its own listeners a connection cut off
// mid-packet, or one that never sent CONNECT, kept that wait going until the peer's
// keep-alive (or for ever), and a connection accepted during Close raced its WaitGroup.
type listener struct {
	id string
	ln net.Listener

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
	serve  sync.WaitGroup // the accept loop and one per accepted connection until mochi is done with it
}

func newListener(id, addr string) (*listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &listener{id: id, ln: ln, conns: map[net.Conn]struct{}{}}, nil
}

var _ listeners.Listener = (*listener)(nil)

func (l *listener) ID() string                { return l.id }
func (l *listener) Address() string           { return l.ln.Addr().String() }
func (l *listener) Protocol() string          { return "tcp" }
func (l *listener) Init(_ *slog.Logger) error { return nil }

// Serve accepts connections until closed.
func (l *listener) Serve(establish listeners.EstablishFn) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.serve.Add(1)
	l.mu.Unlock()
	defer l.serve.Done()
	for {
		conn, err := l.ln.Accept()
		if err != nil {
			return
		}
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			_ = conn.Close()
			return
		}
		l.conns[conn] = struct{}{}
		l.serve.Add(1)
		l.mu.Unlock()
		_ = conn.SetDeadline(time.Now().Add(connectTimeout)) // mochi replaces it after CONNECT (keep-alive)
		go func() {
			defer l.serve.Done()
			defer l.forget(conn)
			_ = establish(l.id, conn) // mochi logs what ended the connection
		}()
	}
}

func (l *listener) forget(conn net.Conn) {
	_ = conn.Close()
	l.mu.Lock()
	delete(l.conns, conn)
	l.mu.Unlock()
}

// stopAccepting closes the listening socket; open connections stay.
func (l *listener) stopAccepting() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	_ = l.ln.Close()
}

// stop stops accepting and closes every connection (a client's goroutine then ends as
// soon as it is not inside a hook); it does not wait.
func (l *listener) stop() {
	l.stopAccepting()
	l.mu.Lock()
	conns := make([]net.Conn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}

// Close stops the listener, closes every connection it accepted and waits until mochi
// is done with each. It deliberately does not call mochi's CloseFn: once a client's
// connection is closed its goroutine stops the client by itself, so the CloseFn has
// nothing left to do — and in mochi v2.7.9 it deadlocks against a client finishing at
// the same moment (Clients.GetByListener read-locks the map twice, through Len, and a
// Delete waiting for the write lock between the two blocks both for ever).
func (l *listener) Close(_ listeners.CloseFn) {
	l.stop()
	l.serve.Wait()
}
