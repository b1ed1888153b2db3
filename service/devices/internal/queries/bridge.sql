-- name: TryLockBridgeSession :one
-- A session advisory lock on a bridge client id: held by the replica that uses the
-- client id (or drains its session) for as long as its connection lives.
SELECT pg_try_advisory_lock(hashtextextended('atrium-mqtt-session:' || @client_id::text, 0))::boolean AS locked;

-- name: UnlockBridgeSession :one
SELECT pg_advisory_unlock(hashtextextended('atrium-mqtt-session:' || @client_id::text, 0))::boolean AS unlocked;

-- name: PingBridgeLocks :one
SELECT 1::int AS one;

-- name: RegisterBridgeSession :exec
-- A bridge client id that has (or may have) a persistent session at the broker.
INSERT INTO mqtt_bridge_sessions (client_id, held_at) VALUES (@client_id, @held_at)
ON CONFLICT (client_id) DO UPDATE SET held_at = excluded.held_at, drained = false;

-- name: RegisterLegacyBridgeSession :exec
-- The client id bridges used before slots: recorded once, so that its session is
-- drained once after the upgrade (a drained row stays, drained, and is not revived).
INSERT INTO mqtt_bridge_sessions (client_id, held_at) VALUES (@client_id, @held_at)
ON CONFLICT (client_id) DO NOTHING;

-- name: BridgeSessionsWithPrefix :many
SELECT client_id FROM mqtt_bridge_sessions WHERE starts_with(client_id, @prefix::text) AND NOT drained
ORDER BY client_id;

-- name: ForgetBridgeSession :exec
-- The session is gone from the broker (the row stays: at most one per slot, plus the
-- pre-slot client id).
UPDATE mqtt_bridge_sessions SET drained = true WHERE client_id = @client_id;

