// Package storage holds Atrium's connections to PostgreSQL, Redis and object storage,
// the embedded migrations, and the mapping of driver errors to sentinel errors.
package storage

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Sentinel errors returned by storage code; services wrap them in their own errors.
var (
	ErrNotFound   = errors.New("storage: not found")
	ErrConflict   = errors.New("storage: unique constraint violated")
	ErrForeignKey = errors.New("storage: referenced row does not exist")
	ErrCheck      = errors.New("storage: check constraint violated")
	ErrExclusion  = errors.New("storage: exclusion constraint violated")
)

// Querier is what both a pool and a transaction offer; storage functions take one.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// DB is the PostgreSQL connection pool with Atrium's type registrations, and an
// optional second pool on a streaming replica (Read) for reads that may lag: reports
// and exports (read.go).
type DB struct {
	Pool *pgxpool.Pool
	// Read is a pool on a read replica (ATRIUM_DATABASE_READ_URL); nil: reads go to Pool.
	Read *pgxpool.Pool
}

// Option adjusts the pool OpenDB opens.
type Option func(*pgxpool.Config)

// PoolSize caps the pool at n connections (n ≤ 0 keeps pgx's default).
func PoolSize(n int) Option {
	return func(c *pgxpool.Config) {
		if n > 0 {
			c.MaxConns = int32(n)
		}
	}
}

// WithTracer traces every statement of the pool's connections (tests count them).
func WithTracer(t pgx.QueryTracer) Option {
	return func(c *pgxpool.Config) { c.ConnConfig.Tracer = t }
}

// OpenDB connects a pool to url and checks the connection.
func OpenDB(ctx context.Context, url string, opts ...Option) (*DB, error) {
	pool, err := openPool(ctx, url, opts...)
	if err != nil {
		return nil, err
	}
	return &DB{Pool: pool}, nil
}

func openPool(ctx context.Context, url string, opts ...Option) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	for _, o := range opts {
		o(cfg)
	}
	cfg.AfterConnect = func(_ context.Context, conn *pgx.Conn) error {
		registerTypes(conn.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return pool, nil
}

// Close closes the pools.
func (db *DB) Close() {
	db.Pool.Close()
	if db.Read != nil {
		db.Read.Close()
	}
}

// InTx runs fn in a transaction: committed when fn returns nil, rolled back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.Pool, fn)
}

// InTxAfter is InTx for a transaction whose call-out hooks may queue work for after
// its commit (AfterCommit, Defer): fn gets a context carrying the collector, and the
// queued work runs once the transaction has committed (never after a rollback).
func (db *DB) InTxAfter(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) error {
	ctx, after := WithAfterCommit(ctx)
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		after.Reset()
		return fn(ctx, tx)
	})
	if err == nil {
		after.Run(ctx)
	}
	return err
}

// InTxRetry is InTx that runs fn again, in a new transaction, when PostgreSQL aborted
// the transaction as a deadlock victim (40P01) or a serialization failure (40001), up to
// three attempts with a short random pause between them. PostgreSQL rolled the aborted
// attempt back entirely, so the retry is safe as long as fn only assigns (never
// accumulates into) variables outside it and does nothing but database work.
func (db *DB) InTxRetry(ctx context.Context, fn func(tx pgx.Tx) error) error {
	const attempts = 3
	for i := 1; ; i++ {
		err := db.InTx(ctx, fn)
		if i == attempts || !Retryable(err) {
			return err
		}
		pause := time.Duration(5+rand.IntN(20*i)) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// Retryable reports whether err is PostgreSQL aborting a transaction that would succeed
// if run again: a deadlock victim or a serialization failure.
func Retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// MapError turns driver errors into the sentinel errors above (wrapped, so the
// original stays visible in logs); other errors pass through unchanged.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return &ConstraintError{Err: ErrConflict, Constraint: pgErr.ConstraintName, cause: err}
		case "23503":
			return &ConstraintError{Err: ErrForeignKey, Constraint: pgErr.ConstraintName, cause: err}
		case "23514":
			return &ConstraintError{Err: ErrCheck, Constraint: pgErr.ConstraintName, cause: err}
		case "23P01":
			return &ConstraintError{Err: ErrExclusion, Constraint: pgErr.ConstraintName, cause: err}
		}
	}
	return err
}

// inputExceptions are the data exceptions (SQLSTATE class 22) a client's value causes:
// a NUL byte or invalid encoding in text, text that is not of its type, a number or a
// date out of range, text too long. (Division by zero and the like stay internal: they
// are bugs.)
var inputExceptions = map[string]bool{
	"22021": true, "22P05": true, "22P02": true, "22003": true, "22001": true, "22007": true, "22008": true,
}

// IsDataException reports whether PostgreSQL refused a client's value itself: bad input
// that got past validation, not an outage.
func IsDataException(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && inputExceptions[pgErr.Code]
}

// ConstraintError says which constraint a write violated.
type ConstraintError struct {
	Err        error
	Constraint string
	cause      error
}

func (e *ConstraintError) Error() string {
	return fmt.Sprintf("%v (%s): %v", e.Err, e.Constraint, e.cause)
}

// Is lets errors.Is match the sentinel.
func (e *ConstraintError) Is(target error) bool { return target == e.Err }

// Unwrap exposes the driver error.
func (e *ConstraintError) Unwrap() error { return e.cause }

// IsConstraint reports whether err violated the named constraint.
func IsConstraint(err error, name string) bool {
	var ce *ConstraintError
	if errors.As(MapError(err), &ce) {
		return ce.Constraint == name
	}
	return false
}
