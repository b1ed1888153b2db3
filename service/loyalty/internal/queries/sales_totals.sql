-- name: VerifiedSalesByDay :many
-- Verified sales of a mall's merchants (or one merchant) per business day in [from_at,
-- to_at): what shoppers paid (payable) for purchases recorded at the merchant, less
-- what was refunded, each on the business day (in tz) it happened.
WITH bought AS (
    SELECT p.merchant_id, (p.created_at AT TIME ZONE @tz::text)::date AS day, sum(p.payable)::numeric AS amount
    FROM loyalty_purchases p
    WHERE p.mall_id = @mall_id AND p.created_at >= @from_at AND p.created_at < @to_at
      AND (sqlc.narg(merchant_id)::uuid IS NULL OR p.merchant_id = sqlc.narg(merchant_id)::uuid)
    GROUP BY 1, 2
), returned AS (
    SELECT p.merchant_id, (r.created_at AT TIME ZONE @tz::text)::date AS day, sum(r.amount)::numeric AS amount
    FROM loyalty_refunds r JOIN loyalty_purchases p ON p.id = r.purchase_id
    WHERE p.mall_id = @mall_id AND r.created_at >= @from_at AND r.created_at < @to_at
      AND (sqlc.narg(merchant_id)::uuid IS NULL OR p.merchant_id = sqlc.narg(merchant_id)::uuid)
    GROUP BY 1, 2
)
SELECT coalesce(b.merchant_id, r.merchant_id)::uuid AS merchant_id, coalesce(b.day, r.day)::date AS day,
    (coalesce(b.amount, 0) - coalesce(r.amount, 0))::numeric AS amount
FROM bought b FULL JOIN returned r ON r.merchant_id = b.merchant_id AND r.day = b.day
ORDER BY 1, 2;
