-- Places: org's read of malls and merchants exported to other contexts (org.Place).

-- name: MallPlace :one
SELECT group_id, region_id, code, name, time_zone FROM malls WHERE id = @id;

-- name: MerchantPlace :one
SELECT m.mall_id, ml.group_id, ml.region_id, ml.code AS mall_code, ml.name AS mall_name, m.name, m.category, m.kind,
       m.status, ml.time_zone
FROM merchants m JOIN malls ml ON ml.id = m.mall_id
WHERE m.id = @id;
