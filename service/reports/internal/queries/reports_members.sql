-- name: MemberMonths :many
-- Registrations, exits and restores per month and tier of a mall's members (months up
-- to to_month, so running totals start at the first month), with the tier's name.
SELECT r.month, r.tier_id, coalesce(t.name, '')::text AS tier, r.registered, r.exited, r.restored
FROM report_member_months r
LEFT JOIN loyalty_tiers t ON t.id = r.tier_id
WHERE r.group_id = @group_id AND r.mall_id = @mall_id AND r.month <= @to_month
ORDER BY r.month, coalesce(t.name, ''), r.tier_id;
