-- Redemptions of codes and their voids.

-- name: InsertRedemption :exec
INSERT INTO redemptions (id, code_id, staff_id, merchant_id, redeemed_at, offline)
VALUES (@id, @code_id, sqlc.narg(staff_id), sqlc.narg(merchant_id), @redeemed_at, @offline);

-- name: Redemption :one
SELECT id, code_id, staff_id, merchant_id, redeemed_at, offline, voided_at, coalesce(void_reason, '')::text AS void_reason
FROM redemptions WHERE id = @id;

-- name: VoidRedemption :execrows
UPDATE redemptions SET voided_at = @voided_at::timestamptz, void_reason = @void_reason::text WHERE id = @id AND voided_at IS NULL;

-- name: RedemptionsPerMerchantDay :many
-- Live redemptions of a mall's codes per merchant (nil uuid: mall staff) per business
-- day of the zone (the mall's, passed in).
SELECT coalesce(r.merchant_id, '00000000-0000-0000-0000-000000000000')::uuid AS merchant_id,
    (r.redeemed_at AT TIME ZONE @zone::text)::date AS day, count(*)::int AS count
FROM redemptions r JOIN redemption_codes c ON c.id = r.code_id
WHERE c.mall_id = @mall_id AND r.voided_at IS NULL AND r.redeemed_at >= @from_time AND r.redeemed_at < @to_time
GROUP BY 1, 2 ORDER BY 2, 1;
