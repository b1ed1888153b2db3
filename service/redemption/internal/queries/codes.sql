-- Redemption codes of coupons and bookings, and their status changes.

-- name: InsertCode :one
-- A live code (issued or redeemed) holding the numeric code already: no row, draw again.
INSERT INTO redemption_codes (id, kind, subject_id, member_id, mall_id, merchant_ids, numeric_code, nonce, key_id,
    valid_from, valid_until)
VALUES (@id, @kind, @subject_id, @member_id, @mall_id, @merchant_ids::uuid[], @numeric_code, @nonce, @key_id,
    @valid_from, @valid_until)
ON CONFLICT (numeric_code) WHERE status IN ('issued', 'redeemed') DO NOTHING
RETURNING *;

-- name: CodeOf :one
SELECT * FROM redemption_codes WHERE kind = @kind AND subject_id = @subject_id;

-- name: CodesOf :many
SELECT * FROM redemption_codes WHERE kind = @kind AND subject_id = ANY(@subject_ids::uuid[]);

-- name: CodeByID :one
SELECT * FROM redemption_codes WHERE id = @id;

-- name: CodeByNumeric :one
-- The live code holding a numeric code, else the latest one that held it.
SELECT * FROM redemption_codes WHERE numeric_code = @numeric_code
ORDER BY status IN ('issued', 'redeemed') DESC, created_at DESC LIMIT 1;

-- name: CodeStatus :one
SELECT status FROM redemption_codes WHERE id = @id;

-- name: SubjectCodeStatus :one
SELECT status FROM redemption_codes WHERE kind = @kind AND subject_id = @subject_id;

-- name: MoveCode :execrows
-- A status change guarded by the statuses it may start from (the concurrency guard);
-- change_seq = -1 queues it for the change feed.
UPDATE redemption_codes SET status = @status, change_seq = -1
WHERE id = @id AND status = ANY(@from_statuses::text[]);

-- name: MoveSubjectCodes :many
-- MoveSubjectCode for many subjects of a kind in one statement; returns those moved.
UPDATE redemption_codes SET status = @status, change_seq = -1
WHERE kind = @kind AND subject_id = ANY(@subject_ids::uuid[]) AND status = ANY(@from_statuses::text[])
RETURNING subject_id;

-- name: MoveSubjectCode :execrows
UPDATE redemption_codes SET status = @status, change_seq = -1
WHERE kind = @kind AND subject_id = @subject_id AND status = ANY(@from_statuses::text[]);
