-- name: InsertIdempotencyKey :exec
-- The record of a call that does its whole work in one implicit transaction (storage.QueueIdempotentRecord):
-- no ON CONFLICT, so a key used before fails the statement and the whole batch.
INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (@scope, @key, @request_hash);
