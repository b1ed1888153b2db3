package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/atrium-mall/atrium/storage/internal/queries"
)

// ErrIdempotencyMismatch means a key was reused with different arguments.
var ErrIdempotencyMismatch = errors.New("storage: idempotency key reused with different arguments")

// Idempotent runs fn at most once per (scope, key) and returns its result; a repeat
// returns the stored result of the first call (replayed = true). It must run inside tx:
// the key row is inserted first, so a concurrent call with the same key waits on the
// unique index until the first transaction ends, then sees its committed result (or, if
// it rolled back, runs fn itself). request is hashed to detect a reuse with different
// arguments. An error from fn is returned as is and, as the caller rolls the
// transaction back, nothing of it is stored.
func Idempotent[T any](ctx context.Context, tx pgx.Tx, scope, key string, request any, fn func() (T, error)) (result T, replayed bool, err error) {
	return IdempotentAfter(ctx, tx, nil, nil, scope, key, request, fn)
}

// IdempotentAfter is Idempotent whose key is claimed in pre, a batch of the caller's
// statements (an authorization's reads) sent with the claim in one round trip; check
// runs once pre is sent, before anything else, and its error is returned (the key,
// written with it, goes with the caller's rollback). pre nil: Idempotent.
func IdempotentAfter[T any](ctx context.Context, tx pgx.Tx, pre *Batch, check func() error, scope, key string, request any,
	fn func() (T, error)) (result T, replayed bool, err error) {
	hash, err := requestHash(request)
	if err != nil {
		return result, false, err
	}
	q := queries.New(tx)
	slot, _ := ctx.Value(slotKey{}).(*responseSlot)
	if slot != nil {
		*slot = responseSlot{}
	}
	claimed, err := claimKey(ctx, tx, pre, queries.ClaimIdempotencyKeyParams{Scope: scope, Key: key, RequestHash: hash})
	if err != nil {
		return result, false, MapError(err)
	}
	if check != nil {
		if err := check(); err != nil {
			return result, false, err
		}
	}
	if claimed == 0 {
		result, err = replay[T](ctx, tx, scope, key, hash)
		return result, true, err
	}
	if slot != nil {
		slot.scope, slot.key = scope, key
	}
	if result, err = fn(); err != nil {
		return result, false, err
	}
	body, err := json.Marshal(result)
	if err != nil {
		return result, false, fmt.Errorf("idempotency: encode result: %w", err)
	}
	if slot.stored(body) {
		return result, false, nil
	}
	err = q.StoreIdempotentResponse(ctx, queries.StoreIdempotentResponseParams{Response: body, Scope: scope, Key: key})
	return result, false, err
}

// responseSlot is where QueueResponse tells Idempotent which response it queued, in
// which batch: the claimed key's scope and key (empty until Idempotent claimed it).
type responseSlot struct {
	scope, key string
	body       []byte
	batch      *Batch
}

type slotKey struct{}

// WithResponseSlot is ctx for the fn of an Idempotent call made with it, letting fn
// store its response itself with QueueResponse (once.Do and once.InTx use it).
func WithResponseSlot(ctx context.Context) context.Context {
	return context.WithValue(ctx, slotKey{}, &responseSlot{})
}

// QueueResponse queues in b the storing of result as the response of the idempotent
// call running in ctx (a context of WithResponseSlot whose key Idempotent claimed), so
// a function whose result is known before its last batch saves the round trip of the
// separate store. Idempotent then stores nothing more when b was sent without error and
// fn returns a result that encodes to the same bytes; otherwise it stores the result
// as usual (the queued response, if written, is overwritten in the same transaction).
// Outside such a call it queues nothing.
func QueueResponse(ctx context.Context, b *Batch, result any) error {
	slot, _ := ctx.Value(slotKey{}).(*responseSlot)
	if slot == nil || slot.key == "" {
		return nil
	}
	body, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("idempotency: encode result: %w", err)
	}
	slot.body, slot.batch = body, b
	b.Queue(func(q Querier) {
		_ = queries.New(q).StoreIdempotentResponse(ctx, queries.StoreIdempotentResponseParams{Response: body,
			Scope: slot.scope, Key: slot.key})
	})
	return nil
}

// stored reports whether the response body was queued and its batch sent.
func (s *responseSlot) stored(body []byte) bool {
	return s != nil && s.batch != nil && s.batch.sent && bytes.Equal(s.body, body)
}

// QueueIdempotentRecord queues in b the record of an idempotent call (scope, key, the
// hash of request) whose whole work the caller sends in b as one implicit transaction
// (b sent on the pool, not in a transaction): the key's insert fails when the key was
// used before (or by a call committing meanwhile), so b then writes nothing and the
// caller takes the usual way (Idempotent), which replays it. Queue the response with
// QueueRecordResponse after the work.
func QueueIdempotentRecord(ctx context.Context, b *Batch, scope, key string, request any) error {
	hash, err := requestHash(request)
	if err != nil {
		return err
	}
	b.Queue(func(q Querier) {
		_ = queries.New(q).InsertIdempotencyKey(ctx, queries.InsertIdempotencyKeyParams{Scope: scope, Key: key,
			RequestHash: hash})
	})
	return nil
}

// QueueRecordResponse queues in b the store of response for the call QueueIdempotentRecord
// recorded in b.
func QueueRecordResponse(ctx context.Context, b *Batch, scope, key string, response any) error {
	body, err := json.Marshal(response)
	if err != nil {
		return fmt.Errorf("idempotency: encode result: %w", err)
	}
	b.Queue(func(q Querier) {
		_ = queries.New(q).StoreIdempotentResponse(ctx, queries.StoreIdempotentResponseParams{Response: body, Scope: scope,
			Key: key})
	})
	return nil
}

// claimKey inserts the key's record unless it exists (1: inserted), after the
// statements of pre (nil: none) in one round trip.
func claimKey(ctx context.Context, tx pgx.Tx, pre *Batch, in queries.ClaimIdempotencyKeyParams) (int64, error) {
	if pre == nil {
		return queries.New(tx).ClaimIdempotencyKey(ctx, in)
	}
	var claimed int64
	pre.Queue(func(q Querier) { _, _ = queries.New(q).ClaimIdempotencyKey(ctx, in) }).Exec(func(tag pgconn.CommandTag) error {
		claimed = tag.RowsAffected()
		return nil
	})
	return claimed, pre.Send(ctx, tx)
}

func replay[T any](ctx context.Context, tx pgx.Tx, scope, key string, hash []byte) (T, error) {
	var result T
	rec, err := queries.New(tx).IdempotencyRecord(ctx, scope, key)
	if err != nil {
		return result, MapError(err)
	}
	stored, body := rec.RequestHash, rec.Response
	if string(stored) != string(hash) {
		return result, ErrIdempotencyMismatch
	}
	if body == nil {
		return result, fmt.Errorf("idempotency: key %s/%s has no stored response", scope, key)
	}
	return result, json.Unmarshal(body, &result)
}

func requestHash(request any) ([]byte, error) {
	b, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("idempotency: encode request: %w", err)
	}
	sum := sha256.Sum256(b)
	return sum[:], nil
}

// PurgeBatch is how many idempotency records one DELETE of the purge removes.
const PurgeBatch = 10_000

// PurgeIdempotencyKeys deletes records older than the retention, PurgeBatch per
// statement (each its own short transaction when q is a pool, so a stopped purge keeps
// what it did), and returns how many.
func PurgeIdempotencyKeys(ctx context.Context, q Querier, olderThanDays int) (int64, error) {
	var total int64
	for {
		n, err := queries.New(q).PurgeIdempotencyKeys(ctx, int32(olderThanDays), PurgeBatch)
		total += n
		if err != nil || n < PurgeBatch {
			return total, err
		}
	}
}
