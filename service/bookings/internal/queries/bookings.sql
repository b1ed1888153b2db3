-- Queries of the bookings context (sqlc: see sqlc.yaml). Placeholder until its statements move here:
-- name: PlaceholderNow :one
SELECT now()::timestamptz AS now;
