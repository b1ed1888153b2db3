-- Energy tariffs, energy usage, late fees, line moves, approvals, statements (issue 13).

-- name: UpsertTariff :exec
INSERT INTO billing_energy_tariffs (group_id, mall_id, meter_kind, effective_from, tariff, created_by, created_at)
VALUES (@group_id, @mall_id, @meter_kind, @effective_from, @tariff, @created_by, @created_at)
ON CONFLICT (group_id, mall_id, meter_kind, effective_from)
DO UPDATE SET tariff = EXCLUDED.tariff, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at;

-- name: TariffsOfMall :many
SELECT * FROM billing_energy_tariffs WHERE group_id = @group_id AND mall_id = @mall_id
ORDER BY meter_kind, effective_from DESC;

-- name: TariffsInForce :many
-- Per meter kind, the tariff in force on a day.
SELECT DISTINCT ON (meter_kind) * FROM billing_energy_tariffs
WHERE group_id = @group_id AND mall_id = @mall_id AND effective_from <= @on_day
ORDER BY meter_kind, effective_from DESC;

-- name: ClaimEnergyUsage :many
-- Records the usage of energy lines; returns those recorded now (a usage recorded
-- before was billed before).
INSERT INTO billing_energy_usage (group_id, contract_id, source_key, meter_kind, unit_code, period_start, period_end,
    estimated, flags, detail)
SELECT @group_id::uuid, c, k, mk, u, ps, pe, e, string_to_array(f, ','), d
FROM (SELECT unnest(@contract_ids::uuid[]) AS c, unnest(@source_keys::text[]) AS k, unnest(@meter_kinds::text[]) AS mk,
    unnest(@units::text[]) AS u, unnest(@period_starts::date[]) AS ps, unnest(@period_ends::date[]) AS pe,
    unnest(@estimated::boolean[]) AS e, unnest(@flags::text[]) AS f, unnest(@details::jsonb[]) AS d) AS t
ON CONFLICT DO NOTHING
RETURNING contract_id, source_key;

-- name: EnergyUsage :one
SELECT * FROM billing_energy_usage WHERE group_id = @group_id AND contract_id = @contract_id AND source_key = @source_key;

-- name: OverduePairs :many
-- A mall's (issued run bill, contract) pairs due before a day with something unpaid,
-- or paid since the last day accrued, after a bill id (keyset): what the late-fee job
-- looks at.
SELECT b.id AS bill_id, l.contract_id, b.merchant_id, b.due_on::date AS due_on, sum(l.gross)::numeric AS gross,
    sum(l.outstanding)::numeric AS outstanding
FROM billing_bills b JOIN billing_bill_lines l ON l.bill_id = b.id
LEFT JOIN billing_late_fee_state s ON s.bill_id = b.id AND s.contract_id = l.contract_id
WHERE b.group_id = @group_id AND b.mall_id = @mall_id AND b.status = 'issued' AND b.kind = 'run'
    AND b.due_on < @today::date AND b.id > @after
GROUP BY b.id, l.contract_id, b.merchant_id, b.due_on, s.watermark
HAVING sum(l.outstanding) > 0 OR EXISTS (SELECT 1 FROM billing_line_moves m JOIN billing_bill_lines ml ON ml.id = m.line_id
    WHERE m.bill_id = b.id AND ml.contract_id = l.contract_id AND m.on_day > coalesce(s.watermark, b.due_on))
ORDER BY b.id, l.contract_id
LIMIT @max;

-- name: EnsureLateFeeState :exec
INSERT INTO billing_late_fee_state (group_id, mall_id, bill_id, contract_id, merchant_id)
SELECT @group_id::uuid, @mall_id::uuid, b, c, m
FROM (SELECT unnest(@bill_ids::uuid[]) AS b, unnest(@contract_ids::uuid[]) AS c, unnest(@merchant_ids::uuid[]) AS m) AS t
ON CONFLICT DO NOTHING;

-- name: LockLateFeeState :many
SELECT * FROM billing_late_fee_state WHERE bill_id = ANY(@bill_ids::uuid[]) ORDER BY bill_id, contract_id FOR UPDATE;

-- name: SetLateFeeState :exec
UPDATE billing_late_fee_state s SET watermark = t.w, accrued = s.accrued + t.a
FROM (SELECT unnest(@bill_ids::uuid[]) AS b, unnest(@contract_ids::uuid[]) AS c, unnest(@watermarks::date[]) AS w,
    unnest(@amounts::numeric[]) AS a) AS t
WHERE s.bill_id = t.b AND s.contract_id = t.c;

-- name: MovesOfBills :many
-- What was taken off the lines of bills, per bill, contract and day.
SELECT m.bill_id, l.contract_id, m.on_day, sum(m.amount)::numeric AS amount
FROM billing_line_moves m JOIN billing_bill_lines l ON l.id = m.line_id
WHERE m.bill_id = ANY(@bill_ids::uuid[])
GROUP BY m.bill_id, l.contract_id, m.on_day ORDER BY m.bill_id, l.contract_id, m.on_day;

-- name: InsertIssuedBills :exec
-- Late-fee bills: issued when written, each with its posting key.
INSERT INTO billing_bills (group_id, mall_id, id, merchant_id, period, status, kind, created_at, issued_at, posting_key)
SELECT @group_id::uuid, @mall_id::uuid, i, m, @period::text, 'issued', 'late_fee', @at::timestamptz, @at::timestamptz, k
FROM (SELECT unnest(@ids::uuid[]) AS i, unnest(@merchant_ids::uuid[]) AS m, unnest(@posting_keys::text[]) AS k) AS t;

-- name: LateFeeLinesOfMall :many
SELECT l.*, b.merchant_id FROM billing_bill_lines l JOIN billing_bills b ON b.id = l.bill_id
WHERE b.group_id = @group_id AND b.mall_id = @mall_id AND l.source = 'late_fee'
    AND (sqlc.narg(merchant_id)::uuid IS NULL OR b.merchant_id = sqlc.narg(merchant_id))
    AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR l.id < @after::uuid)
ORDER BY l.id DESC LIMIT @max;

-- name: LockLines :many
SELECT l.*, b.merchant_id, b.mall_id, b.status AS bill_status FROM billing_bill_lines l
JOIN billing_bills b ON b.id = l.bill_id
WHERE l.id = ANY(@ids::uuid[]) ORDER BY l.id FOR UPDATE OF l;

-- name: TakeFromLines :exec
-- Takes amounts off lines' outstanding (never below zero) and records each move.
WITH t AS (SELECT unnest(@line_ids::uuid[]) AS line_id, unnest(@bill_ids::uuid[]) AS bill_id,
        unnest(@ids::uuid[]) AS id, unnest(@amounts::numeric[]) AS amount),
    upd AS (UPDATE billing_bill_lines l SET outstanding = l.outstanding - t.amount FROM t
        WHERE l.id = t.line_id AND l.outstanding >= t.amount RETURNING l.id)
INSERT INTO billing_line_moves (group_id, id, line_id, bill_id, merchant_id, on_day, amount, kind, ref_id, created_at)
SELECT @group_id::uuid, t.id, t.line_id, t.bill_id, @merchant_id::uuid, @on_day::date, t.amount, @kind::text,
    @ref_id::uuid, @at::timestamptz
FROM t JOIN upd ON upd.id = t.line_id;

-- name: RefreshBillOutstanding :exec
UPDATE billing_bills b SET outstanding = s.outstanding
FROM (SELECT bill_id, sum(outstanding) AS outstanding FROM billing_bill_lines
    WHERE bill_id = ANY(@bill_ids::uuid[]) GROUP BY bill_id) AS s
WHERE b.id = s.bill_id;

-- name: OpenLinesOfContract :many
-- A contract's lines on issued bills with something outstanding, locked.
SELECT l.* FROM billing_bill_lines l JOIN billing_bills b ON b.id = l.bill_id
WHERE l.contract_id = @contract_id AND b.status = 'issued' AND l.outstanding > 0
ORDER BY l.due_on, l.id FOR UPDATE OF l;

-- name: DepositBilled :one
-- The deposit a contract's issued bills billed (DEPOSIT lines and their adjustments, net: what
-- issuing credited to deposit_held).
SELECT coalesce(sum(l.net), 0)::numeric FROM billing_bill_lines l JOIN billing_bills b ON b.id = l.bill_id
WHERE l.contract_id = @contract_id AND b.status = 'issued'
    AND (l.code = 'DEPOSIT' OR (l.code = 'ADJUSTMENT' AND l.of_code = 'DEPOSIT'));

-- name: DepositMoved :one
-- What approved applications and refunds took from a contract's deposit.
SELECT coalesce(sum(amount) FILTER (WHERE kind = 'deposit_apply'), 0)::numeric AS applied,
    coalesce(sum(amount) FILTER (WHERE kind = 'deposit_refund'), 0)::numeric AS refunded
FROM billing_approvals WHERE contract_id = @contract_id AND status = 'approved';

-- name: LockApprovalsOfContract :exec
SELECT 1 FROM billing_approvals WHERE contract_id = @contract_id FOR UPDATE;

-- name: InsertApproval :one
INSERT INTO billing_approvals (group_id, mall_id, id, kind, merchant_id, contract_id, line_ids, amount, reason, status,
    requested_by, requested_at)
VALUES (@group_id, @mall_id, @id, @kind, @merchant_id, sqlc.narg(contract_id), @line_ids, @amount, @reason, 'requested',
    @requested_by, @requested_at)
RETURNING *;

-- name: ApprovalByID :one
SELECT * FROM billing_approvals WHERE id = @id;

-- name: LockApproval :one
SELECT * FROM billing_approvals WHERE id = @id FOR UPDATE;

-- name: DecideApproval :one
UPDATE billing_approvals SET status = @to_status, decided_by = @by, decided_at = @at, posting_key = @posting_key
WHERE id = @id AND status = ANY(@from_statuses::text[])
RETURNING *;

-- name: ApprovalsOfMall :many
SELECT * FROM billing_approvals WHERE group_id = @group_id AND mall_id = @mall_id
    AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
    AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
ORDER BY id DESC LIMIT @max;

-- name: IssuedBillsOfMerchantAll :many
-- Every issued bill of a merchant (a statement's bills), oldest first.
SELECT id, kind, period, gross, issued_at FROM billing_bills
WHERE merchant_id = @merchant_id AND status = 'issued' ORDER BY issued_at, id;

-- name: MovesOfMerchant :many
SELECT ref_id, kind, on_day, sum(amount)::numeric AS amount FROM billing_line_moves WHERE merchant_id = @merchant_id
GROUP BY ref_id, kind, on_day ORDER BY on_day, ref_id;

-- name: OpenItems :many
-- Lines of issued bills of a mall (or one merchant) issued by a time, with their
-- outstanding as of a day (the moves after it given back).
SELECT l.id, l.bill_id, l.code, l.due_on, b.merchant_id,
    (l.gross - coalesce((SELECT sum(m.amount) FROM billing_line_moves m WHERE m.line_id = l.id AND m.on_day <= @as_of::date), 0))::numeric AS outstanding
FROM billing_bill_lines l JOIN billing_bills b ON b.id = l.bill_id
WHERE b.group_id = @group_id AND b.mall_id = @mall_id AND b.status = 'issued' AND b.issued_at < @issued_before
    AND (sqlc.narg(merchant_id)::uuid IS NULL OR b.merchant_id = sqlc.narg(merchant_id))
ORDER BY b.merchant_id, l.due_on, l.id;

-- name: LateFeeStateOffLines :many
-- Verify: each (bill, contract)'s accrued total equals its LATE_FEE lines'.
SELECT ('bill ' || s.bill_id::text || ' contract ' || s.contract_id::text || ' accrued ' || s.accrued ||
    ' late-fee lines ' || coalesce(sum(l.gross), 0))::text AS breach
FROM billing_late_fee_state s
LEFT JOIN billing_bill_lines l ON l.source = 'late_fee' AND l.contract_id = s.contract_id
    AND l.source_key LIKE s.bill_id::text || '|%'
GROUP BY s.bill_id, s.contract_id, s.accrued
HAVING s.accrued <> coalesce(sum(l.gross), 0);

-- name: LinesOffMoves :many
-- Verify: each issued line's outstanding is its gross less its moves.
SELECT ('line ' || l.id::text || ' gross ' || l.gross || ' outstanding ' || l.outstanding || ' moves ' ||
    coalesce(sum(m.amount), 0))::text AS breach
FROM billing_bill_lines l JOIN billing_bills b ON b.id = l.bill_id
LEFT JOIN billing_line_moves m ON m.line_id = l.id
WHERE b.status = 'issued'
GROUP BY l.id, l.gross, l.outstanding
HAVING l.outstanding <> l.gross - coalesce(sum(m.amount), 0);

-- name: DepositsHeld :many
-- Verify: the deposit each merchant's contracts hold (billed less applied and refunded).
SELECT merchant_id, sum(amount)::numeric AS held FROM (
    SELECT b.merchant_id, l.net AS amount FROM billing_bill_lines l JOIN billing_bills b ON b.id = l.bill_id
    WHERE b.status = 'issued' AND (l.code = 'DEPOSIT' OR (l.code = 'ADJUSTMENT' AND l.of_code = 'DEPOSIT'))
    UNION ALL
    SELECT merchant_id, -amount FROM billing_approvals WHERE status = 'approved' AND kind IN ('deposit_apply', 'deposit_refund')
) AS t GROUP BY merchant_id;

-- name: ApprovedPostingKeys :many
SELECT posting_key FROM billing_approvals WHERE status = 'approved' ORDER BY posting_key;
