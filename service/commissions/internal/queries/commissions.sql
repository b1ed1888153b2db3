-- name: UpsertRule :one
INSERT INTO comm_rules (id, group_id, mall_id, merchant_id, scope, match_key, kind, rate, amount, updated_by, updated_at)
VALUES (@id, @group_id, @mall_id, @merchant_id, @scope, @match_key, @kind, @rate, @amount, @updated_by, @updated_at)
ON CONFLICT (group_id, merchant_id, scope, match_key) DO UPDATE
SET kind = excluded.kind, rate = excluded.rate, amount = excluded.amount, updated_by = excluded.updated_by,
    updated_at = excluded.updated_at
RETURNING *;

-- name: DeleteRule :execrows
DELETE FROM comm_rules WHERE group_id = @group_id AND merchant_id = @merchant_id AND id = @id;

-- name: RulesOf :many
SELECT * FROM comm_rules WHERE group_id = @group_id AND merchant_id = @merchant_id ORDER BY scope, match_key;

-- name: LockMonth :exec
-- Shared by the writers of a merchant's month, exclusive for its settlement.
SELECT pg_advisory_xact_lock_shared(hashtextextended('comm_month:' || sqlc.arg(merchant_id)::text || ':' || sqlc.arg(month)::text, 0));

-- name: LockMonthExclusive :exec
SELECT pg_advisory_xact_lock(hashtextextended('comm_month:' || sqlc.arg(merchant_id)::text || ':' || sqlc.arg(month)::text, 0));

-- name: MonthClosed :one
SELECT EXISTS (SELECT 1 FROM comm_closed_months WHERE group_id = @group_id AND merchant_id = @merchant_id
    AND month = @month)::boolean;

-- name: InsertLine :exec
INSERT INTO comm_lines (id, group_id, mall_id, merchant_id, staff_id, month, purchase_id, refund_id, line_no, code,
    category, quantity, base, commission, rule_id, created_at)
VALUES (@id, @group_id, @mall_id, @merchant_id, sqlc.narg(staff_id), @month, @purchase_id, sqlc.narg(refund_id),
    @line_no, @code, @category, @quantity, @base, @commission, sqlc.narg(rule_id), @created_at);

-- name: SaleLines :many
-- The lines a purchase credited, with what earlier refunds took back of each.
SELECT l.line_no, l.staff_id, l.code, l.category, l.base, l.commission, l.rule_id
FROM comm_lines l
WHERE l.group_id = @group_id AND l.purchase_id = @purchase_id AND l.refund_id IS NULL
ORDER BY l.line_no;

-- name: CloseMonth :execrows
INSERT INTO comm_closed_months (group_id, mall_id, merchant_id, month, closed_by, closed_at)
VALUES (@group_id, @mall_id, @merchant_id, @month, @closed_by, @closed_at)
ON CONFLICT DO NOTHING;

-- name: MonthTotals :many
-- Per staff member of the merchant's month: the sums of their lines.
SELECT l.staff_id::uuid AS staff_id, sum(l.base)::numeric AS sales, sum(l.commission)::numeric AS total,
    count(*)::integer AS line_count
FROM comm_lines l
WHERE l.group_id = @group_id AND l.merchant_id = @merchant_id AND l.month = @month AND l.staff_id IS NOT NULL
GROUP BY l.staff_id
ORDER BY l.staff_id;

-- name: InsertSettlement :exec
INSERT INTO comm_settlements (id, group_id, mall_id, merchant_id, staff_id, month, sales, total, line_count, settled_at)
VALUES (@id, @group_id, @mall_id, @merchant_id, @staff_id, @month, @sales, @total, @line_count, @settled_at);

-- name: Settlements :many
SELECT * FROM comm_settlements WHERE group_id = @group_id AND merchant_id = @merchant_id AND month = @month
ORDER BY total DESC, staff_id;

-- name: MonthLines :many
SELECT * FROM comm_lines WHERE group_id = @group_id AND merchant_id = @merchant_id AND month = @month
ORDER BY created_at, id;

-- name: StaffRanking :many
-- Staff of a merchant by commission over months [from_month, to_month].
SELECT staff_id::uuid AS staff_id, sum(base)::numeric AS sales, sum(commission)::numeric AS commission,
    count(DISTINCT purchase_id)::bigint AS purchases
FROM comm_lines
WHERE group_id = @group_id AND merchant_id = @merchant_id AND month BETWEEN @from_month AND @to_month
    AND staff_id IS NOT NULL
GROUP BY staff_id
ORDER BY sum(commission) DESC, sum(base) DESC, staff_id
LIMIT @lim;

-- name: ProductRanking :many
-- Products and services of a merchant by net sales over months [from_month, to_month].
SELECT code, max(category)::text AS category, sum(quantity)::bigint AS quantity, sum(base)::numeric AS sales
FROM comm_lines
WHERE group_id = @group_id AND merchant_id = @merchant_id AND month BETWEEN @from_month AND @to_month
GROUP BY code
ORDER BY sum(base) DESC, code
LIMIT @lim;
