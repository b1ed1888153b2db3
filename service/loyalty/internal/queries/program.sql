-- name: UpsertProgram :exec
INSERT INTO loyalty_programs (group_id, tier_basis, tier_window_days, points_expiry_days, return_window_days,
    point_value, transfer_max, transfer_daily_max, referral_points, referral_min_amount)
VALUES (@group_id, @tier_basis, @tier_window_days, @points_expiry_days, @return_window_days, @point_value,
    @transfer_max, @transfer_daily_max, @referral_points, @referral_min_amount)
ON CONFLICT (group_id) DO UPDATE SET tier_basis = EXCLUDED.tier_basis, tier_window_days = EXCLUDED.tier_window_days,
    points_expiry_days = EXCLUDED.points_expiry_days, return_window_days = EXCLUDED.return_window_days,
    point_value = EXCLUDED.point_value, transfer_max = EXCLUDED.transfer_max,
    transfer_daily_max = EXCLUDED.transfer_daily_max, referral_points = EXCLUDED.referral_points,
    referral_min_amount = EXCLUDED.referral_min_amount;

-- name: Program :one
SELECT tier_basis, tier_window_days, points_expiry_days, return_window_days, point_value, transfer_max,
    transfer_daily_max, referral_points, referral_min_amount
FROM loyalty_programs WHERE group_id = @group_id;

-- name: InsertTier :exec
INSERT INTO loyalty_tiers (id, group_id, code, name, rank, threshold, discount_rate, points_multiplier)
VALUES (@id, @group_id, @code, @name, @rank, @threshold, @discount_rate, @points_multiplier);

-- name: TiersOf :many
SELECT id, group_id, code, name, rank, threshold, discount_rate, points_multiplier
FROM loyalty_tiers WHERE group_id = @group_id ORDER BY rank;

-- name: TierByID :one
SELECT id, group_id, code, name, rank, threshold, discount_rate, points_multiplier
FROM loyalty_tiers WHERE id = @id;

-- name: TierGroups :many
SELECT DISTINCT group_id FROM loyalty_tiers;

-- name: DeleteEarnRule :exec
DELETE FROM loyalty_earn_rules WHERE group_id = @group_id
    AND merchant_id IS NOT DISTINCT FROM sqlc.narg(merchant_id)::uuid
    AND category IS NOT DISTINCT FROM sqlc.narg(category)::text;

-- name: InsertEarnRule :exec
INSERT INTO loyalty_earn_rules (id, group_id, merchant_id, category, points_per_yuan, cap_per_purchase)
VALUES (@id, @group_id, sqlc.narg(merchant_id), sqlc.narg(category), @points_per_yuan, sqlc.narg(cap_per_purchase));

-- EarnRule is a merchant's own rule, else its category's, else the group's.
-- name: EarnRule :one
SELECT points_per_yuan, cap_per_purchase FROM loyalty_earn_rules
WHERE group_id = @group_id AND (merchant_id = @merchant_id::uuid OR (merchant_id IS NULL AND category = @category::text)
    OR (merchant_id IS NULL AND category IS NULL))
ORDER BY merchant_id IS NULL, category IS NULL LIMIT 1;

-- name: UpsertRechargeRule :exec
INSERT INTO loyalty_recharge_rules (id, group_id, min_amount, bonus) VALUES (@id, @group_id, @min_amount, @bonus)
ON CONFLICT (group_id, min_amount) DO UPDATE SET bonus = EXCLUDED.bonus;

-- RechargeBonus is the bonus of the largest rule amount reaches (zero when none).
-- name: RechargeBonus :one
SELECT coalesce((SELECT bonus FROM loyalty_recharge_rules WHERE group_id = @group_id AND min_amount <= @amount::numeric
    ORDER BY min_amount DESC LIMIT 1), 0)::numeric AS bonus;
