-- name: ClaimIdempotencyKey :execrows
INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (@scope, @key, @request_hash)
ON CONFLICT DO NOTHING;

-- name: StoreIdempotentResponse :exec
UPDATE idempotency_keys SET response = @response WHERE scope = @scope AND key = @key;

-- name: IdempotencyRecord :one
SELECT request_hash, response FROM idempotency_keys WHERE scope = @scope AND key = @key;

-- name: PurgeIdempotencyKeys :execrows
-- Up to lim records older than the retention (one batch of the purge job).
DELETE FROM idempotency_keys d WHERE (d.scope, d.key) IN (
    SELECT o.scope, o.key FROM idempotency_keys o
    WHERE o.created_at < now() - make_interval(days => @older_than_days::int)
    ORDER BY o.created_at LIMIT @lim);
