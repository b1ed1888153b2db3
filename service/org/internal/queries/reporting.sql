-- name: AllMallIDs :many
-- Every mall, for jobs that run per mall.
SELECT id FROM malls ORDER BY id;

-- name: MallMerchantsBrief :many
SELECT id, code, name, status FROM merchants WHERE mall_id = @mall_id ORDER BY code;

-- name: MerchantsWithRole :many
-- The merchants of a mall someone holds a merchant-scoped role over.
SELECT DISTINCT mc.id FROM merchants mc
JOIN staff_roles r ON r.scope_level = 'merchant' AND r.scope_id = mc.id AND r.role = @role
WHERE mc.mall_id = @mall_id
ORDER BY mc.id;
