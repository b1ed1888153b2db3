-- Malls of the org context.

-- name: MallByID :one
SELECT * FROM malls WHERE id = @id;

-- name: MallByCode :one
SELECT * FROM malls WHERE code = @code;

-- name: MallsByID :many
SELECT * FROM malls WHERE id = ANY(@ids::uuid[]);

-- name: VisibleMalls :many
-- A page of the malls a viewer may see: all for a shopper, else those a grant of the
-- viewer covers (by group, region, mall, or a merchant inside), in id order.
SELECT ml.* FROM malls ml
WHERE ml.id > @after
  AND (@everyone::boolean OR ml.group_id = ANY(@group_ids::uuid[]) OR ml.region_id = ANY(@region_ids::uuid[])
       OR ml.id = ANY(@mall_ids::uuid[])
       OR ml.id IN (SELECT mc.mall_id FROM merchants mc WHERE mc.id = ANY(@merchant_ids::uuid[])))
ORDER BY ml.id
LIMIT @max;

-- name: MallHasMerchant :one
SELECT EXISTS (SELECT 1 FROM merchants WHERE mall_id = @mall_id AND id = ANY(@merchant_ids::uuid[]));

-- name: InsertMall :one
INSERT INTO malls (id, group_id, region_id, code, name, time_zone)
VALUES (@id, @group_id, sqlc.narg(region_id), @code, @name, @time_zone)
RETURNING *;
