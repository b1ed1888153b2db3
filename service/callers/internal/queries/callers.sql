-- name: InsertCall :one
INSERT INTO caller_calls (id, group_id, mall_id, phone, member_id, staff_id, outcome, note, created_at, updated_at)
VALUES (@id, @group_id, @mall_id, @phone, sqlc.narg(member_id), sqlc.narg(staff_id), 'OPEN', '', @created_at, @created_at)
RETURNING *;

-- name: CallByID :one
SELECT * FROM caller_calls WHERE id = @id;

-- name: UpdateCall :one
UPDATE caller_calls SET outcome = @outcome, note = @note, staff_id = coalesce(sqlc.narg(staff_id), staff_id), updated_at = @updated_at
WHERE id = @id
RETURNING *;

-- name: CallsOfMall :many
SELECT * FROM caller_calls WHERE group_id = @group_id AND mall_id = @mall_id AND id < @before
ORDER BY id DESC LIMIT @lim;
