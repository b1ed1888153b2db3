// Package once is the one way a mutation moves value or stock (points, stored value,
// coupon quota, booking seats, prizes): in one transaction, retried when PostgreSQL
// picks it as a deadlock victim, it checks who may do it, validates the idempotency key,
// and runs the effect at most once per key, replaying the first result to a repeat.
//
// Idempotency keys are scoped per (actor, operation): the staff account or member
// calling (access.Actor; "system" for jobs and devices) and the operation's name
// ("loyalty.purchase"). The same key sent by two cashiers, or to two operations, names
// two requests; the same key with different arguments from the same caller is
// IDEMPOTENCY_KEY_REUSED. The record is bound to a SHA-256 of the arguments.
package once

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// MaxKeyLen is the longest idempotency key accepted.
const MaxKeyLen = 200

// Op is one value-moving operation.
type Op[T any] struct {
	// Name names the operation in the key scope, "<context>.<operation>".
	Name string
	// Key is the client's idempotency key (1 to MaxKeyLen characters).
	Key string
	// Args are hashed; a repeat with the same key must send the same Args.
	Args any
	// Authorize, when set, runs first in the transaction (load the place, check roles).
	// An error ends the call before the key is recorded.
	Authorize func(ctx context.Context, tx pgx.Tx) error
	// AuthorizeQueued, set instead of Authorize, queues the authorization's reads in
	// the batch that claims the key (one round trip for both) and returns the check to
	// run once that is sent, before anything else; its error ends the call (the key,
	// written with it, is rolled back with the transaction).
	AuthorizeQueued func(ctx context.Context, b *storage.Batch) (check func() error)
	// Run does the work once; its result is stored (as JSON) and replayed to repeats.
	// A Run that knows its result before its last batch may queue the store in it
	// (QueueResponse), saving a round trip.
	Run func(ctx context.Context, tx pgx.Tx) (T, error)
}

// Do runs op: the result and whether it was replayed from an earlier call.
func Do[T any](ctx context.Context, db *storage.DB, op Op[T]) (out T, replayed bool, err error) {
	if err := ValidKey(op.Key); err != nil {
		return out, false, err
	}
	scope := access.Actor(ctx) + "|" + op.Name
	ctx = storage.WithResponseSlot(ctx)
	err = db.InTxRetry(ctx, func(tx pgx.Tx) error {
		if op.Authorize != nil {
			if err := op.Authorize(ctx, tx); err != nil {
				return err
			}
		}
		var pre *storage.Batch
		var check func() error
		if op.AuthorizeQueued != nil {
			pre = &storage.Batch{}
			check = op.AuthorizeQueued(ctx, pre)
		}
		out, replayed, err = storage.IdempotentAfter(ctx, tx, pre, check, scope, op.Key, op.Args,
			func() (T, error) { return op.Run(ctx, tx) })
		return MapErr(err)
	})
	return out, replayed, err
}

// InTx is Do for a caller that already holds the transaction (a value move nested in a
// larger one): no retry of its own, the caller's transaction is the unit.
func InTx[T any](ctx context.Context, tx pgx.Tx, op Op[T]) (out T, replayed bool, err error) {
	if err := ValidKey(op.Key); err != nil {
		return out, false, err
	}
	ctx = storage.WithResponseSlot(ctx)
	if op.Authorize != nil {
		if err := op.Authorize(ctx, tx); err != nil {
			return out, false, err
		}
	}
	var pre *storage.Batch
	var check func() error
	if op.AuthorizeQueued != nil {
		pre = &storage.Batch{}
		check = op.AuthorizeQueued(ctx, pre)
	}
	out, replayed, err = storage.IdempotentAfter(ctx, tx, pre, check, access.Actor(ctx)+"|"+op.Name, op.Key, op.Args,
		func() (T, error) { return op.Run(ctx, tx) })
	return out, replayed, MapErr(err)
}

// QueueResponse queues in b the store of result as the response of the operation
// whose Run got ctx (storage.QueueResponse): send b before Run returns, and return a
// result that encodes the same, or the response is stored again in its own statement.
func QueueResponse(ctx context.Context, b *storage.Batch, result any) error {
	return storage.QueueResponse(ctx, b, result)
}

// QueueRecord queues in b the record of op's call by the caller in ctx, for an effect
// done whole in b as one implicit transaction (b sent on the pool): the record fails b
// when op's key was used before, so b writes nothing; the caller then runs Do, which
// replays. Queue the result with QueueRecordResponse after the effect's statements.
func QueueRecord[T any](ctx context.Context, b *storage.Batch, op Op[T]) error {
	if err := ValidKey(op.Key); err != nil {
		return err
	}
	return storage.QueueIdempotentRecord(ctx, b, access.Actor(ctx)+"|"+op.Name, op.Key, op.Args)
}

// QueueRecordResponse queues in b the store of result for the call QueueRecord recorded.
func QueueRecordResponse[T any](ctx context.Context, b *storage.Batch, op Op[T], result T) error {
	return storage.QueueRecordResponse(ctx, b, access.Actor(ctx)+"|"+op.Name, op.Key, result)
}

// ValidKey checks an idempotency key: 1 to MaxKeyLen characters.
func ValidKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return errs.Invalid("input.idempotencyKey", "idempotency key must be 1 to 200 characters")
	}
	return nil
}

// MapErr turns a key reused with other arguments into IDEMPOTENCY_KEY_REUSED.
func MapErr(err error) error {
	if errors.Is(err, storage.ErrIdempotencyMismatch) {
		return errs.ErrIdempotencyKey
	}
	return err
}
