-- name: ClaimIdempotencyKey :execrows
INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (@scope, @key, @request_hash)
ON CONFLICT DO NOTHING;

-- name: StoreIdempotentResponse :exec
UPDATE idempotency_keys SET response = @response WHERE scope = @scope AND key = @key;

-- name: IdempotencyRecord :one
SELECT request_hash, response FROM idempotency_keys WHERE scope = @scope AND key = @key;

-- name: PurgeIdempotencyKeys :execrows
DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(days => @older_than_days::int);
