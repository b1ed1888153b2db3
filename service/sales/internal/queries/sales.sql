-- name: UpsertSale :one
-- Reports one period (a day, or a month's declaration): a second report of the same
-- merchant, period and day replaces the first.
INSERT INTO tenant_sales (id, group_id, mall_id, merchant_id, period, day, amount, source, reported_by, reported_at)
VALUES (@id, @group_id, @mall_id, @merchant_id, @period, @day, @amount, @source, @reported_by, @reported_at)
ON CONFLICT (group_id, mall_id, merchant_id, period, day) DO UPDATE
SET amount = EXCLUDED.amount, source = EXCLUDED.source, reported_by = EXCLUDED.reported_by,
    reported_at = EXCLUDED.reported_at
RETURNING *;

-- name: UpsertSaleDays :execrows
-- The rows of an import (days of one mall's merchants), each replacing its day.
INSERT INTO tenant_sales (id, group_id, mall_id, merchant_id, period, day, amount, source, reported_by, reported_at)
SELECT gen_random_uuid(), @group_id, @mall_id, (@merchant_ids::uuid[])[i], 'day', (@days::date[])[i],
    (@amounts::numeric[])[i], @source, @reported_by, @reported_at
FROM generate_subscripts(@merchant_ids::uuid[], 1) AS i
ON CONFLICT (group_id, mall_id, merchant_id, period, day) DO UPDATE
SET amount = EXCLUDED.amount, source = EXCLUDED.source, reported_by = EXCLUDED.reported_by,
    reported_at = EXCLUDED.reported_at;

-- name: SalesOfMerchant :many
-- A merchant's reports with a start day in [from_day, to_day], in day order.
SELECT * FROM tenant_sales
WHERE group_id = @group_id AND mall_id = @mall_id AND merchant_id = @merchant_id
  AND day >= @from_day AND day <= @to_day
ORDER BY day, period;

-- name: DeclaredOfMonth :many
-- Per merchant of a mall (or one merchant), a month's declaration and daily sum.
SELECT merchant_id,
    bool_or(period = 'month')::boolean AS has_month,
    coalesce(sum(amount) FILTER (WHERE period = 'month'), 0)::numeric AS month_total,
    coalesce(sum(amount) FILTER (WHERE period = 'day'), 0)::numeric AS days_total,
    count(*) FILTER (WHERE period = 'day')::int AS days
FROM tenant_sales
WHERE group_id = @group_id AND mall_id = @mall_id AND day >= @first_day AND day < @next_first
  AND (sqlc.narg(merchant_id)::uuid IS NULL OR merchant_id = sqlc.narg(merchant_id)::uuid)
GROUP BY merchant_id;

-- name: MerchantsWithSales :many
SELECT DISTINCT merchant_id FROM tenant_sales WHERE group_id = @group_id AND mall_id = @mall_id;

-- name: ClosedThrough :many
-- The closing day of each of merchants that has one.
SELECT merchant_id, closed_through FROM tenant_sales_closings
WHERE group_id = @group_id AND mall_id = @mall_id AND merchant_id = ANY(@merchant_ids::uuid[]);

-- name: CloseThrough :one
-- Closes a merchant's sales through a day; a closing never moves back.
INSERT INTO tenant_sales_closings (group_id, mall_id, merchant_id, closed_through, closed_by, closed_at)
VALUES (@group_id, @mall_id, @merchant_id, @closed_through, @closed_by, @closed_at)
ON CONFLICT (group_id, mall_id, merchant_id) DO UPDATE
SET closed_through = GREATEST(tenant_sales_closings.closed_through, EXCLUDED.closed_through),
    closed_by = EXCLUDED.closed_by, closed_at = EXCLUDED.closed_at
RETURNING closed_through;

-- name: SalesSettings :many
SELECT due_day, gap_threshold FROM tenant_sales_settings WHERE group_id = @group_id AND mall_id = @mall_id;

-- name: UpsertSalesSettings :exec
INSERT INTO tenant_sales_settings (group_id, mall_id, due_day, gap_threshold)
VALUES (@group_id, @mall_id, @due_day, @gap_threshold)
ON CONFLICT (group_id, mall_id) DO UPDATE SET due_day = EXCLUDED.due_day, gap_threshold = EXCLUDED.gap_threshold;

-- name: DeclaredMonths :many
-- Per merchant (of those given) and calendar month in [first_day, next_first), the
-- month's declaration and daily sum (the percentage-rent base billing hands to leasing).
SELECT merchant_id, date_trunc('month', day)::date AS month,
    bool_or(period = 'month')::boolean AS has_month,
    coalesce(sum(amount) FILTER (WHERE period = 'month'), 0)::numeric AS month_total,
    coalesce(sum(amount) FILTER (WHERE period = 'day'), 0)::numeric AS days_total,
    count(*) FILTER (WHERE period = 'day')::int AS days
FROM tenant_sales
WHERE group_id = @group_id AND mall_id = @mall_id AND merchant_id = ANY(@merchant_ids::uuid[])
  AND day >= @first_day AND day < @next_first
GROUP BY merchant_id, date_trunc('month', day)::date;

-- name: CloseMany :exec
-- Closes merchants' sales, each through its own day; a closing never moves back.
INSERT INTO tenant_sales_closings (group_id, mall_id, merchant_id, closed_through, closed_by, closed_at)
SELECT @group_id::uuid, @mall_id::uuid, m, d, @closed_by::uuid, @closed_at::timestamptz
FROM (SELECT unnest(@merchant_ids::uuid[]) AS m, unnest(@days::date[]) AS d) AS t
ORDER BY m
ON CONFLICT (group_id, mall_id, merchant_id) DO UPDATE
SET closed_through = GREATEST(tenant_sales_closings.closed_through, EXCLUDED.closed_through),
    closed_by = EXCLUDED.closed_by, closed_at = EXCLUDED.closed_at;
