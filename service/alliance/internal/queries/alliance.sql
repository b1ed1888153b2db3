-- name: InsertMerchant :one
INSERT INTO alliance_merchants (id, group_id, mall_id, code, name, contact_name, contact_phone, unit_amount,
                                points_per_unit, rounding, active, created_at)
VALUES (@id, @group_id, @mall_id, @code, @name, @contact_name, @contact_phone, @unit_amount, @points_per_unit,
        @rounding, true, @created_at)
RETURNING *;

-- name: UpdateMerchant :one
UPDATE alliance_merchants SET name = @name, contact_name = @contact_name, contact_phone = @contact_phone,
    unit_amount = @unit_amount, points_per_unit = @points_per_unit, rounding = @rounding, active = @active
WHERE id = @id
RETURNING *;

-- name: MerchantByID :one
SELECT * FROM alliance_merchants WHERE id = @id;

-- name: MerchantForShare :one
SELECT * FROM alliance_merchants WHERE id = @id FOR SHARE;

-- name: MerchantsOfMall :many
SELECT * FROM alliance_merchants WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY code;

-- name: InsertRun :exec
INSERT INTO alliance_runs (id, group_id, mall_id, merchant_id, status, format, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @merchant_id, 'IMPORTED', @format, sqlc.narg(created_by), @created_at);

-- name: FinishRun :one
UPDATE alliance_runs SET rows_read = @rows_read, rows_imported = @rows_imported, rows_duplicate = @rows_duplicate,
    rows_failed = @rows_failed, amount = @amount, points = @points, row_errors = @row_errors
WHERE id = @id
RETURNING *;

-- name: RunByID :one
SELECT * FROM alliance_runs WHERE id = @id;

-- name: RunForUpdate :one
SELECT * FROM alliance_runs WHERE id = @id FOR UPDATE;

-- name: RevertRun :one
UPDATE alliance_runs SET status = 'REVERTED', reverted_by = sqlc.narg(reverted_by), reverted_at = @reverted_at,
    clawed_back = @clawed_back, shortfall = @shortfall
WHERE id = @id AND status = 'IMPORTED'
RETURNING *;

-- name: RunsOfMerchant :many
SELECT * FROM alliance_runs WHERE group_id = @group_id AND merchant_id = @merchant_id AND id < @before
ORDER BY id DESC LIMIT @lim;

-- name: ClaimRow :one
-- Claims (merchant, row key) for this run; nothing when another run holds it (a
-- concurrent import waits for that run's transaction, then sees it).
INSERT INTO alliance_rows (id, group_id, merchant_id, row_key, run_id, line, member_id, card_id, amount, points, occurred_at)
VALUES (@id, @group_id, @merchant_id, @row_key, @run_id, @line, @member_id, @card_id, @amount, @points, @occurred_at)
ON CONFLICT (group_id, merchant_id, row_key) DO NOTHING
RETURNING id;

-- name: SetRowLot :exec
UPDATE alliance_rows SET lot_id = @lot_id WHERE id = @id;

-- name: RowsOfRun :many
SELECT * FROM alliance_rows WHERE group_id = @group_id AND run_id = @run_id AND NOT reverted ORDER BY id;

-- name: RevertRow :exec
UPDATE alliance_rows SET reverted = true, clawed_back = @clawed_back, shortfall = @shortfall WHERE id = @id;

-- name: MonthlyStats :many
-- Per business month (in the managing mall's zone) the rows, members, amount and
-- points of the merchant's rows still standing (reverted runs excluded).
SELECT to_char(occurred_at AT TIME ZONE @zone::text, 'YYYY-MM')::text AS month,
       count(*)::bigint AS rows, count(DISTINCT member_id)::bigint AS members,
       coalesce(sum(amount), 0)::numeric AS amount, coalesce(sum(points), 0)::numeric AS points
FROM alliance_rows
WHERE group_id = @group_id AND merchant_id = @merchant_id AND NOT reverted
  AND occurred_at >= @from_at AND occurred_at < @to_at
GROUP BY 1 ORDER BY 1;
