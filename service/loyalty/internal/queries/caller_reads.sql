-- name: RecentPurchasesOfMember :many
-- A member's latest purchases in a group (caller recognition: what the desk sees).
SELECT id, mall_id, merchant_id, receipt_no, amount, payable, points_earned, refunded, created_at
FROM loyalty_purchases
WHERE member_id = @member_id AND group_id = @group_id
ORDER BY created_at DESC LIMIT @lim;
