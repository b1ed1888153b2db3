package devices

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/devices/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// SessionLocks holds session advisory locks on MQTT bridge client ids over one
// dedicated PostgreSQL connection: a lock lasts until it is released or the connection
// ends — with the process that holds it, however it dies. Safe for concurrent use.
type SessionLocks struct {
	mu   sync.Mutex
	conn *pgx.Conn
}

// OpenSessionLocks takes a connection out of db's pool for good.
func OpenSessionLocks(ctx context.Context, db *storage.DB) (*SessionLocks, error) {
	c, err := db.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("session locks: %w", err)
	}
	return &SessionLocks{conn: c.Hijack()}, nil
}

// TryLock takes the lock of clientID if no other connection holds it.
func (l *SessionLocks) TryLock(ctx context.Context, clientID string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return false, errLocksClosed
	}
	return queries.New(l.conn).TryLockBridgeSession(ctx, clientID)
}

// Unlock releases the lock of clientID.
func (l *SessionLocks) Unlock(ctx context.Context, clientID string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return errLocksClosed
	}
	_, err := queries.New(l.conn).UnlockBridgeSession(ctx, clientID)
	return err
}

// Ping checks that the connection (and so every lock it holds) is alive.
func (l *SessionLocks) Ping(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return errLocksClosed
	}
	_, err := queries.New(l.conn).PingBridgeLocks(ctx)
	return err
}

// Close ends the connection, releasing every lock. Closing twice is harmless.
func (l *SessionLocks) Close(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return nil
	}
	err := l.conn.Close(ctx)
	l.conn = nil
	return err
}

var errLocksClosed = errors.New("session locks closed")

// ClosedSessionLocks holds no connection: every call fails (a placeholder while none
// can be opened).
func ClosedSessionLocks() *SessionLocks { return &SessionLocks{} }

// RegisterBridgeSession records that clientID has (or may have) a persistent session
// at the broker, so that a survivor drains it once no replica holds it.
func RegisterBridgeSession(ctx context.Context, q storage.Querier, clientID string, at time.Time) error {
	return queries.New(q).RegisterBridgeSession(ctx, clientID, at)
}

// RegisterLegacyBridgeSession records clientID (the client id bridges used before
// slots) once: a replica with slots drains it, and it is never recorded again.
func RegisterLegacyBridgeSession(ctx context.Context, q storage.Querier, clientID string, at time.Time) error {
	return queries.New(q).RegisterLegacyBridgeSession(ctx, clientID, at)
}

// BridgeSessions returns the recorded bridge client ids that start with prefix.
func BridgeSessions(ctx context.Context, q storage.Querier, prefix string) ([]string, error) {
	return queries.New(q).BridgeSessionsWithPrefix(ctx, prefix)
}

// ForgetBridgeSession marks clientID drained once its session at the broker is gone.
func ForgetBridgeSession(ctx context.Context, q storage.Querier, clientID string) error {
	return queries.New(q).ForgetBridgeSession(ctx, clientID)
}
