-- name: MemberGroupTier :one
SELECT group_id, tier_id FROM members WHERE id = @id;

-- name: MemberInGroup :one
SELECT EXISTS (SELECT 1 FROM members WHERE id = @id AND group_id = @group_id::uuid) AS ok;

-- PendingReferrer is the member's referrer when no referral reward was granted for the member yet.
-- name: PendingReferrer :one
SELECT m.referrer_id FROM members m
WHERE m.id = @id AND m.referrer_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM loyalty_referrals r WHERE r.referee_id = m.id);

-- InsertReferral records a referral reward, once per referee, phone number and openid.
-- name: InsertReferral :execrows
INSERT INTO loyalty_referrals (referee_id, referrer_id, phone, openid, purchase_id, points, created_at)
SELECT id, @referrer_id::uuid, phone, openid, @purchase_id::uuid, @points::numeric, @created_at::timestamptz
FROM members WHERE id = @referee_id::uuid
ON CONFLICT DO NOTHING;

-- name: CardTypeDiscount :one
SELECT discount_rate FROM card_types WHERE id = @id;
