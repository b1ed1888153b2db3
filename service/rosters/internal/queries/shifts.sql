-- name: LockStaffShifts :exec
-- Serialises the shift edits of one staff member (the overlap check below).
SELECT pg_advisory_xact_lock(hashtextextended('staff_shifts:' || sqlc.arg(staff_id)::text, 0));

-- name: InsertShift :execrows
-- Adds the shift unless it overlaps another shift of the same staff member (0 rows).
INSERT INTO staff_shifts (id, group_id, mall_id, staff_id, role, starts_at, ends_at, note, created_by, created_at)
SELECT sqlc.arg(id)::uuid, sqlc.arg(group_id)::uuid, sqlc.arg(mall_id)::uuid, sqlc.arg(staff_id)::uuid,
    sqlc.arg(role)::text, sqlc.arg(starts_at)::timestamptz, sqlc.arg(ends_at)::timestamptz, sqlc.arg(note)::text,
    sqlc.arg(created_by)::text, sqlc.arg(created_at)::timestamptz
WHERE NOT EXISTS (SELECT 1 FROM staff_shifts s WHERE s.staff_id = sqlc.arg(staff_id)::uuid
    AND s.starts_at < sqlc.arg(ends_at)::timestamptz AND s.ends_at > sqlc.arg(starts_at)::timestamptz);

-- name: Shift :one
SELECT * FROM staff_shifts WHERE id = @id;

-- name: DeleteShift :execrows
DELETE FROM staff_shifts WHERE id = @id;

-- name: ShiftsOfMall :many
-- A mall's shifts overlapping [from_at, to_at), by start.
SELECT * FROM staff_shifts
WHERE group_id = @group_id AND mall_id = @mall_id AND starts_at < @to_at AND ends_at > @from_at
ORDER BY starts_at, staff_id;

-- name: ShiftsCovering :many
-- The shifts of a role at a mall covering an instant, earliest start first.
SELECT * FROM staff_shifts
WHERE group_id = @group_id AND mall_id = @mall_id AND role = @role AND starts_at <= @at AND ends_at > @at
ORDER BY starts_at, staff_id;

-- name: Rostered :one
-- Whether the mall keeps a roster for the role: any shift of it at all.
SELECT EXISTS (SELECT 1 FROM staff_shifts WHERE group_id = @group_id AND mall_id = @mall_id AND role = @role)::boolean;
