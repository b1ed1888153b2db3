-- Groups and regions of the org context.

-- name: GroupByID :one
SELECT * FROM org_groups WHERE id = @id;

-- name: GroupByCode :one
SELECT * FROM org_groups WHERE code = @code;

-- name: InsertGroup :one
INSERT INTO org_groups (id, code, name) VALUES (@id, @code, @name) RETURNING created_at;

-- name: RegionByID :one
SELECT * FROM org_regions WHERE id = @id;

-- name: RegionGroup :one
SELECT group_id FROM org_regions WHERE id = @id;

-- name: InsertRegion :one
INSERT INTO org_regions (id, group_id, name) VALUES (@id, @group_id, @name) RETURNING created_at;

-- name: GroupsOfScopes :many
-- The groups of the units the arrays name by level (distinct, in id order; a unit
-- that does not exist yields none, a group id is taken as given).
SELECT unnest(@group_ids::uuid[])::uuid AS group_id
UNION SELECT r.group_id FROM org_regions r WHERE r.id = ANY(@region_ids::uuid[])
UNION SELECT ml.group_id FROM malls ml WHERE ml.id = ANY(@mall_ids::uuid[])
UNION SELECT ml.group_id FROM merchants m JOIN malls ml ON ml.id = m.mall_id WHERE m.id = ANY(@merchant_ids::uuid[])
ORDER BY 1;
