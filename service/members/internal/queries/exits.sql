-- name: InsertExit :one
INSERT INTO member_exits (id, group_id, member_id, status, reason, applied_by, applied_at)
VALUES (@id, @group_id, @member_id, 'APPLIED', @reason, @applied_by, @applied_at)
ON CONFLICT DO NOTHING
RETURNING *;

-- name: ExitByID :one
SELECT * FROM member_exits WHERE id = @id;

-- name: ExitForUpdate :one
SELECT * FROM member_exits WHERE id = @id FOR UPDATE;

-- name: SetExitStatus :one
-- Moves an exit from one status to the next (the concurrency guard is the WHERE).
UPDATE member_exits SET status = @to_status,
    decided_by = coalesce(sqlc.narg(decided_by), decided_by), decided_at = coalesce(sqlc.narg(decided_at), decided_at),
    decision_note = coalesce(sqlc.narg(decision_note), decision_note),
    frozen_cards = coalesce(sqlc.narg(frozen_cards)::uuid[], frozen_cards),
    restored_by = coalesce(sqlc.narg(restored_by), restored_by), restored_at = coalesce(sqlc.narg(restored_at), restored_at)
WHERE id = @id AND status = @from_status
RETURNING *;

-- name: ExitsOfGroup :many
SELECT * FROM member_exits
WHERE group_id = @group_id AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status)::text) AND id < @before
ORDER BY id DESC LIMIT @lim;

-- name: ExitsOfMember :many
SELECT * FROM member_exits WHERE member_id = @member_id ORDER BY id DESC LIMIT 20;

-- name: ExitPolicy :one
SELECT restore_days FROM member_exit_policies WHERE group_id = @group_id;

-- name: UpsertExitPolicy :exec
INSERT INTO member_exit_policies (group_id, restore_days) VALUES (@group_id, @restore_days)
ON CONFLICT (group_id) DO UPDATE SET restore_days = EXCLUDED.restore_days;

-- name: SetMemberStatusFrom :execrows
UPDATE members SET status = @to_status WHERE id = @id AND status = @from_status;

-- name: ActiveCardIDsForUpdate :many
SELECT id FROM cards WHERE member_id = @member_id AND group_id = @group_id AND status = 'active' ORDER BY id FOR UPDATE;

-- name: MemberIDByCardNumber :one
SELECT member_id FROM cards WHERE group_id = @group_id AND number = @number;
