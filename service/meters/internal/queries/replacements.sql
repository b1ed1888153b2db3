-- name: LockReplacements :exec
-- One replacement at a time per meter (until the transaction ends), so the duplicate
-- check holds.
SELECT pg_advisory_xact_lock(hashtext('meter-replacement:' || @device_id::text));

-- name: ReplacementAt :one
SELECT device_id, replaced_at, old_final, new_start, note, created_at
FROM meter_replacements WHERE device_id = @device_id AND replaced_at = @replaced_at;

-- name: InsertReplacement :one
INSERT INTO meter_replacements (id, device_id, replaced_at, old_final, new_start, note)
VALUES (@id, @device_id, @replaced_at, sqlc.narg(old_final), @new_start, @note)
RETURNING created_at;

-- name: ReplacementsUntil :many
SELECT replaced_at, old_final, new_start FROM meter_replacements
WHERE device_id = @device_id AND replaced_at <= @until ORDER BY replaced_at;
