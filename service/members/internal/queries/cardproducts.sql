-- Card types as products (issue 17): price, validity, fees, withdrawal rules; and the
-- card reads and writes the member fees context calls (fee cards, expiry).

-- name: SetCardProduct :exec
UPDATE card_types SET price = sqlc.narg(price), validity_months = sqlc.narg(validity_months), renewable = @renewable,
    joining_fee = @joining_fee, annual_fee = @annual_fee, supplementary_annual_fee = @supplementary_annual_fee,
    withdrawal_allowed = @withdrawal_allowed, withdrawal_fee_rate = @withdrawal_fee_rate,
    withdrawal_min = sqlc.narg(withdrawal_min), withdrawal_max = sqlc.narg(withdrawal_max),
    withdrawal_daily_limit = sqlc.narg(withdrawal_daily_limit)
WHERE id = @id;

-- name: CardProductByID :one
SELECT id, group_id, code, name, kind, price, validity_months, renewable, joining_fee, annual_fee,
       supplementary_annual_fee, withdrawal_allowed, withdrawal_fee_rate, withdrawal_min, withdrawal_max,
       withdrawal_daily_limit
FROM card_types WHERE id = @id;

-- name: CardProductsOfGroup :many
SELECT id, group_id, code, name, kind, price, validity_months, renewable, joining_fee, annual_fee,
       supplementary_annual_fee, withdrawal_allowed, withdrawal_fee_rate, withdrawal_min, withdrawal_max,
       withdrawal_daily_limit
FROM card_types WHERE group_id = @group_id ORDER BY code;

-- name: FeeCards :many
-- Active cards whose type charges an annual fee (a supplementary card: the
-- supplementary annual fee), with the member's home mall, in id order after @after.
SELECT c.id, c.group_id, c.member_id, c.card_type_id, c.primary_card_id, c.issued_at, c.expires_at,
       m.registered_mall_id, t.annual_fee, t.supplementary_annual_fee
FROM cards c JOIN card_types t ON t.id = c.card_type_id JOIN members m ON m.id = c.member_id
WHERE c.status = 'active' AND c.id > @after
  AND (CASE WHEN c.primary_card_id IS NULL THEN t.annual_fee ELSE t.supplementary_annual_fee END) > 0
ORDER BY c.id LIMIT @lim;

-- name: SetCardExpiry :exec
UPDATE cards SET expires_at = @expires_at WHERE id = @id;

-- name: MemberHomeMall :one
SELECT registered_mall_id FROM members WHERE id = @id;
