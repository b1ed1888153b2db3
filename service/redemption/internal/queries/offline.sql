-- Offline scans and the change feed offline devices follow.

-- name: InsertOfflineScan :execrows
-- The scan nonce makes a re-upload count once (no row: a duplicate).
INSERT INTO offline_scans (scan_nonce, code_id, staff_id, device_id, scanned_at, outcome)
VALUES (@scan_nonce, @code_id, @staff_id, @device_id, @scanned_at, 'rejected') ON CONFLICT DO NOTHING;

-- name: SetOfflineScanOutcome :exec
UPDATE offline_scans SET outcome = @outcome, detail = @detail WHERE scan_nonce = @scan_nonce;

-- name: CodeChanges :many
SELECT id, status, change_seq FROM redemption_codes
WHERE change_seq > @cursor AND mall_id = @mall_id ORDER BY change_seq LIMIT @max_rows;

-- name: TryChangeSequencerLock :one
SELECT pg_try_advisory_xact_lock(@lock_id::bigint) AS locked;

-- name: SequenceChanges :exec
-- Numbers the committed, unnumbered changes, skipping codes a running transaction holds.
UPDATE redemption_codes c SET change_seq = nextval('redemption_code_changes')
FROM (SELECT id FROM redemption_codes WHERE change_seq = -1 ORDER BY id FOR UPDATE SKIP LOCKED) x
WHERE c.id = x.id;
