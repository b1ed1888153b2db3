-- Merchants of the org context, with the place of their mall in the organisation.

-- name: MerchantByID :one
SELECT sqlc.embed(m), ml.group_id, ml.region_id FROM merchants m JOIN malls ml ON ml.id = m.mall_id
WHERE m.id = @id;

-- name: MerchantByCode :one
SELECT sqlc.embed(m), ml.group_id, ml.region_id FROM merchants m JOIN malls ml ON ml.id = m.mall_id
WHERE m.mall_id = @mall_id AND m.code = @code;

-- name: MerchantsOfMall :many
SELECT sqlc.embed(m), ml.group_id, ml.region_id FROM merchants m JOIN malls ml ON ml.id = m.mall_id
WHERE m.mall_id = @mall_id AND m.id > @after
ORDER BY m.id
LIMIT @max;

-- name: InsertMerchant :exec
INSERT INTO merchants (id, mall_id, code, name, category, kind)
VALUES (@id, @mall_id, @code, @name, @category, @kind);
