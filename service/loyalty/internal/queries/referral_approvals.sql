-- name: ReferralPolicy :one
SELECT approval_levels FROM loyalty_referral_policies WHERE group_id = @group_id;

-- name: UpsertReferralPolicy :exec
INSERT INTO loyalty_referral_policies (group_id, approval_levels) VALUES (@group_id, @approval_levels)
ON CONFLICT (group_id) DO UPDATE SET approval_levels = EXCLUDED.approval_levels;

-- name: InsertHeldReferral :execrows
-- A referral reward held for approval, once per referee, phone number and openid.
INSERT INTO loyalty_referrals (referee_id, referrer_id, phone, openid, purchase_id, points, created_at, status,
                               group_id, mall_id, card_id, levels)
SELECT id, @referrer_id::uuid, phone, openid, @purchase_id::uuid, @points::numeric, @created_at::timestamptz, 'HELD',
       @group_id::uuid, @mall_id::uuid, @card_id::uuid, @levels::int
FROM members WHERE id = @referee_id::uuid
ON CONFLICT DO NOTHING;

-- name: ReferralForUpdate :one
SELECT referee_id, referrer_id, purchase_id, points, created_at, status, group_id, mall_id, card_id, levels, approved
FROM loyalty_referrals WHERE referee_id = @referee_id FOR UPDATE;

-- name: ReferralByReferee :one
SELECT referee_id, referrer_id, purchase_id, points, created_at, status, group_id, mall_id, card_id, levels, approved
FROM loyalty_referrals WHERE referee_id = @referee_id;

-- name: InsertReferralDecision :execrows
INSERT INTO loyalty_referral_decisions (group_id, referee_id, level, decision, staff_id, note, decided_at)
VALUES (@group_id, @referee_id, @level, @decision, @staff_id, @note, @decided_at)
ON CONFLICT DO NOTHING;

-- name: ReferralDecisions :many
SELECT * FROM loyalty_referral_decisions WHERE group_id = @group_id AND referee_id = @referee_id ORDER BY level;

-- name: SetReferralProgress :exec
UPDATE loyalty_referrals SET status = @status, approved = @approved WHERE referee_id = @referee_id;

-- name: HeldReferrals :many
SELECT referee_id, referrer_id, purchase_id, points, created_at, status, group_id, mall_id, card_id, levels, approved
FROM loyalty_referrals
WHERE group_id = @group_id AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status)::text)
ORDER BY created_at DESC, referee_id LIMIT @lim;
