package storage

import (
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// ConnectionLost reports whether err is the database connection failing rather than
// the statement: a connection PostgreSQL terminated (pg_terminate_backend, a restart or
// failover: class 57P and 08), one that closed or broke under the driver, or a request
// pgx knows was never sent (pgconn.SafeToRetry). A read-only unit of work that failed
// this way can run again on another connection; a write may have committed and must not
// be repeated unless it is idempotent.
func ConnectionLost(err error) bool {
	if err == nil {
		return false
	}
	if pgconn.SafeToRetry(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "57P") || strings.HasPrefix(pgErr.Code, "08")
	}
	var connectErr *pgconn.ConnectError
	var opErr *net.OpError
	return errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, net.ErrClosed) || errors.As(err, &connectErr) || errors.As(err, &opErr)
}
