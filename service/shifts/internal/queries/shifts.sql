-- name: InsertSession :exec
INSERT INTO shift_sessions (id, group_id, mall_id, merchant_id, till, cashier_id, status, float_cash, opened_at)
VALUES (@id, @group_id, @mall_id, sqlc.narg(merchant_id), @till, @cashier_id, 'OPEN', @float_cash, @opened_at);

-- name: Session :one
SELECT * FROM shift_sessions WHERE id = @id;

-- name: OpenSessionFor :one
-- The cashier's open shift at a place (a merchant's till, or the mall's desk when
-- merchant_id is NULL), the latest opened, locked FOR SHARE so a close waits for the
-- operation and an operation after the close finds none.
SELECT * FROM shift_sessions
WHERE group_id = @group_id AND cashier_id = @cashier_id AND mall_id = @mall_id
    AND merchant_id IS NOT DISTINCT FROM sqlc.narg(merchant_id)::uuid AND status = 'OPEN'
ORDER BY opened_at DESC, id DESC
LIMIT 1
FOR SHARE;

-- name: InsertOp :execrows
INSERT INTO shift_ops (id, group_id, mall_id, shift_id, kind, tender, amount, source_id, created_at)
VALUES (@id, @group_id, @mall_id, @shift_id, @kind, @tender, @amount, @source_id, @created_at)
ON CONFLICT DO NOTHING;

-- name: CloseSession :execrows
UPDATE shift_sessions SET status = 'CLOSED', closed_at = @closed_at, closed_by = @closed_by
WHERE id = @id AND status = 'OPEN';

-- name: TenderTotals :many
SELECT tender, sum(amount)::numeric AS total, count(*)::bigint AS ops
FROM shift_ops WHERE group_id = @group_id AND shift_id = @shift_id
GROUP BY tender ORDER BY tender;

-- name: KindTotals :many
SELECT kind, tender, sum(amount)::numeric AS total, count(*)::bigint AS ops
FROM shift_ops WHERE group_id = @group_id AND shift_id = @shift_id
GROUP BY kind, tender ORDER BY kind, tender;

-- name: InsertCount :exec
INSERT INTO shift_counts (group_id, shift_id, tender, expected, counted, variance)
VALUES (@group_id, @shift_id, @tender, @expected, @counted, @variance);

-- name: Counts :many
SELECT * FROM shift_counts WHERE group_id = @group_id AND shift_id = @shift_id ORDER BY tender;

-- name: SessionsOfMall :many
SELECT * FROM shift_sessions WHERE group_id = @group_id AND mall_id = @mall_id
    AND merchant_id IS NOT DISTINCT FROM sqlc.narg(merchant_id)::uuid
ORDER BY opened_at DESC, id DESC LIMIT @lim;

-- name: PolicyOf :one
-- The mall's shift policy (no row: nothing required).
SELECT require_at_desk, require_at_tills FROM shift_policies WHERE group_id = @group_id AND mall_id = @mall_id;

-- name: UpsertPolicy :exec
INSERT INTO shift_policies (group_id, mall_id, require_at_desk, require_at_tills, updated_at, updated_by)
VALUES (@group_id, @mall_id, @require_at_desk, @require_at_tills, @updated_at, @updated_by)
ON CONFLICT (group_id, mall_id) DO UPDATE SET require_at_desk = EXCLUDED.require_at_desk,
    require_at_tills = EXCLUDED.require_at_tills, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;
