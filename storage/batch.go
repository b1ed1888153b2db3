package storage

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Batch sends several statements to PostgreSQL in one round trip (a pgx batch,
// pipelined). They still run one after another, in the order queued, in the caller's
// transaction; the client just waits once for all of them. Queue statements that do
// not need each other's results (or only what the database sees of earlier ones). pgx
// prepares them all before the first runs, so a batch holds no DDL a later statement
// of it depends on.
//
// A statement is queued as a call of its sqlc-generated method on the Querier Queue
// hands in, which records the method's SQL and arguments instead of running them, so
// the SQL stays in the query files and the arguments in the generated order. What the
// generated method returns then is meaningless; the statement's result is read by the
// function given to the returned QueuedQuery (Exec, QueryRow or Query) when the batch is
// sent. Send returns the first error: a statement's or a result function's. A failed
// statement aborts the transaction (the later ones fail with it), and a result
// function's error leaves the later statements run but unread: either way the caller
// must give the transaction up, as after any failed statement.
type Batch struct {
	b    pgx.Batch
	sent bool // Send ran every statement and result function without error
}

// errQueued is what a generated method sees of a statement Queue records.
var errQueued = errors.New("storage: statement queued in a batch, not run")

// Queue records the one statement call makes through q and queues it.
func (b *Batch) Queue(call func(q Querier)) *pgx.QueuedQuery {
	var r recorder
	call(&r)
	if r.n != 1 {
		panic("storage: Batch.Queue: the call must make exactly one statement")
	}
	return b.b.Queue(r.sql, r.args...)
}

// Len is how many statements are queued.
func (b *Batch) Len() int { return b.b.Len() }

// Send runs the queued statements through q in one round trip and their result
// functions in order; it returns the first error.
func (b *Batch) Send(ctx context.Context, q Querier) error {
	if b.b.Len() == 0 {
		return nil
	}
	err := q.SendBatch(ctx, &b.b).Close()
	b.sent = err == nil
	return err
}

// recorder is a Querier that records the statements made through it.
type recorder struct {
	n    int
	sql  string
	args []any
}

func (r *recorder) record(sql string, args []any) {
	r.n++
	r.sql, r.args = sql, args
}

func (r *recorder) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	r.record(sql, args)
	return pgconn.CommandTag{}, nil
}

func (r *recorder) Query(_ context.Context, sql string, args ...any) (pgx.Rows, error) {
	r.record(sql, args)
	return nil, errQueued
}

func (r *recorder) QueryRow(_ context.Context, sql string, args ...any) pgx.Row {
	r.record(sql, args)
	return queuedRow{}
}

func (r *recorder) CopyFrom(context.Context, pgx.Identifier, []string, pgx.CopyFromSource) (int64, error) {
	panic("storage: Batch.Queue: a copy from a source cannot be batched")
}

func (r *recorder) SendBatch(context.Context, *pgx.Batch) pgx.BatchResults {
	panic("storage: Batch.Queue: a batch cannot be queued in a batch")
}

// queuedRow is the row a generated :one method scans while its statement is recorded.
type queuedRow struct{}

func (queuedRow) Scan(...any) error { return errQueued }

// SentRow is a Querier whose QueryRow hands back row, a result of a sent batch, so the
// generated :one method that queued the statement scans it too (its SQL and arguments
// are ignored): in the function given to the QueuedQuery's QueryRow, call the method
// again on SentRow(row). Its other methods must not be called.
func SentRow(row pgx.Row) Querier { return sentRow{row: row} }

type sentRow struct {
	Querier
	row pgx.Row
}

func (r sentRow) QueryRow(context.Context, string, ...any) pgx.Row { return r.row }
