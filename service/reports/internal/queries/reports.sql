-- name: CardMonths :many
-- Card events per month, card type and tier of a mall's members (months up to to_month,
-- so the running total of cards in circulation starts at the first month), with the
-- card type's and tier's names.
SELECT r.month, r.card_type_id, ct.name AS card_type, r.tier_id, coalesce(t.name, '')::text AS tier,
    r.issued, r.renewed, r.cancelled,
    sum(r.issued - r.cancelled) OVER (PARTITION BY r.card_type_id, r.tier_id ORDER BY r.month)::bigint AS active
FROM report_card_months r
JOIN card_types ct ON ct.id = r.card_type_id
LEFT JOIN loyalty_tiers t ON t.id = r.tier_id
WHERE r.group_id = @group_id AND r.mall_id = @mall_id AND r.month <= @to_month
ORDER BY r.month, ct.name, coalesce(t.name, ''), r.card_type_id, r.tier_id;

-- name: ConsumptionCube :many
-- A mall's consumption over the months [from_month, to_month) by month, hour, weekday
-- (ISO, 1 = Monday), category and merchant, and in total (dim says which; the others
-- are null).
SELECT
    CASE WHEN GROUPING(to_char(month, 'YYYY-MM')) = 0 THEN 'month'
         WHEN GROUPING(hour) = 0 THEN 'hour'
         WHEN GROUPING(weekday) = 0 THEN 'weekday'
         WHEN GROUPING(category) = 0 THEN 'category'
         WHEN GROUPING(merchant_id) = 0 THEN 'merchant'
         ELSE 'total' END::text AS dim,
    coalesce(to_char(month, 'YYYY-MM'), '')::text AS month, coalesce(hour, -1)::int AS hour,
    coalesce(weekday, -1)::int AS weekday, coalesce(category, '')::text AS category,
    coalesce(merchant_id, '00000000-0000-0000-0000-000000000000'::uuid)::uuid AS merchant_id,
    coalesce(sum(purchases), 0)::bigint AS purchases, coalesce(sum(amount), 0)::numeric(18,2) AS amount,
    coalesce(sum(refunds), 0)::bigint AS refunds, coalesce(sum(refunded), 0)::numeric(18,2) AS refunded
FROM report_consumption_months
WHERE group_id = @group_id AND mall_id = @mall_id AND month >= @from_month AND month < @to_month
GROUP BY GROUPING SETS ((), (to_char(month, 'YYYY-MM')), (hour), (weekday), (category), (merchant_id))
ORDER BY 1, 2, 3, 4, 5, 6;

-- name: PointsMonths :many
-- A group's net points into cards and into the return window per month up to to_month,
-- with running totals (the liability at each month's end).
SELECT month, available, pending,
    sum(available) OVER (ORDER BY month)::numeric(18,2) AS outstanding,
    sum(pending) OVER (ORDER BY month)::numeric(18,2) AS pending_total
FROM report_points_months
WHERE group_id = @group_id AND month <= @to_month
ORDER BY month;

-- name: MerchantNames :many
SELECT id, code, name FROM merchants WHERE mall_id = @mall_id;
