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
-- name: UpsertRechargeRule :exec
INSERT INTO loyalty_recharge_rules (id, group_id, min_amount, bonus) VALUES (@id, @group_id, @min_amount, @bonus)
ON CONFLICT (group_id, min_amount) DO UPDATE SET bonus = EXCLUDED.bonus;

-- RechargeBonus is the bonus of the largest rule amount reaches (zero when none).
-- name: RechargeBonus :one
SELECT coalesce((SELECT bonus FROM loyalty_recharge_rules WHERE group_id = @group_id AND min_amount <= @amount::numeric
    ORDER BY min_amount DESC LIMIT 1), 0)::numeric AS bonus;

-- name: PurchaseTerms :many
-- What a purchase reads of its group's terms and its member in one statement (after the
-- card is locked): the programme (NULL columns: the group has none, the defaults apply),
-- the earn rule for the merchant (its own, else its category's, else the group's; NULL: one
-- point per yuan without cap), the member's tier
-- id, and one row per tier of the group and for the member's own tier, lowest rank first
-- (a group without tiers and a member without one: a single row, its tier columns NULL).
SELECT p.tier_basis, p.tier_window_days, p.points_expiry_days, p.return_window_days, p.point_value,
    p.transfer_max, p.transfer_daily_max, p.referral_points, p.referral_min_amount,
    r.points_per_yuan, r.cap_per_purchase, m.tier_id AS member_tier_id,
    t.id AS tier_id, t.group_id AS tier_group_id, t.code AS tier_code, t.name AS tier_name, t.rank AS tier_rank,
    t.threshold AS tier_threshold, t.discount_rate AS tier_discount_rate, t.points_multiplier AS tier_points_multiplier
FROM (SELECT @group_id::uuid AS group_id) g
LEFT JOIN loyalty_programs p ON p.group_id = g.group_id
LEFT JOIN members m ON m.id = @member_id::uuid
LEFT JOIN loyalty_earn_rules r ON r.id = (SELECT e.id FROM loyalty_earn_rules e
    WHERE e.group_id = g.group_id AND (e.merchant_id = @merchant_id::uuid
        OR (e.merchant_id IS NULL AND e.category = @category::text) OR (e.merchant_id IS NULL AND e.category IS NULL))
    ORDER BY e.merchant_id IS NULL, e.category IS NULL LIMIT 1)
LEFT JOIN loyalty_tiers t ON t.group_id = g.group_id OR t.id = m.tier_id
ORDER BY t.rank, t.id;
