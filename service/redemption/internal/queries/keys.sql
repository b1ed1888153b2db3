-- Signing keys: Ed25519 key pairs signing the codes' tokens (private halves sealed).

-- name: ActiveKeyID :one
SELECT id FROM signing_keys WHERE active ORDER BY id DESC LIMIT 1;

-- name: SigningKey :one
SELECT id, public_key, private_key, sealed FROM signing_keys WHERE id = @id;

-- name: InsertSigningKey :exec
INSERT INTO signing_keys (id, public_key, private_key, sealed) VALUES (@id, @public_key, @private_key, @sealed)
ON CONFLICT DO NOTHING;

-- name: LockSigningKeys :many
SELECT id, public_key, private_key, sealed FROM signing_keys ORDER BY id FOR UPDATE;

-- name: ResealSigningKey :exec
UPDATE signing_keys SET private_key = @private_key, sealed = true WHERE id = @id;

-- name: NextSigningKeyID :one
SELECT (coalesce(max(id), 0) + 1)::int AS id FROM signing_keys;

-- name: DeactivateSigningKeysBefore :exec
UPDATE signing_keys SET active = false WHERE id < @id;

-- name: PublicKeys :many
SELECT id, public_key, active FROM signing_keys ORDER BY id;
