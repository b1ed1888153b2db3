-- name: InsertCategory :one
INSERT INTO asset_categories (id, group_id, mall_id, code, name, created_at)
VALUES (@id, @group_id, @mall_id, @code, @name, @created_at)
ON CONFLICT (group_id, mall_id, code) DO UPDATE SET name = EXCLUDED.name
RETURNING *;

-- name: CategoriesOfMall :many
SELECT * FROM asset_categories WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY code;

-- name: CategoryByID :one
SELECT * FROM asset_categories WHERE id = @id;

-- name: CategoryByCode :one
SELECT * FROM asset_categories WHERE group_id = @group_id AND mall_id = @mall_id AND code = @code;

-- name: InsertAsset :one
INSERT INTO assets (id, group_id, mall_id, tag, name, category_id, location_kind, location_ref, custodian_id,
    supplier, invoice_key, acquired_on, in_service_on, cost, salvage, life_months, method, factor_pct, total_units,
    opening_on, opening_accumulated, opening_units, status, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @tag, @name, @category_id, @location_kind, @location_ref, sqlc.narg(custodian_id),
    @supplier, @invoice_key, @acquired_on, @in_service_on, @cost, @salvage, @life_months, @method, @factor_pct,
    @total_units, sqlc.narg(opening_on), @opening_accumulated, @opening_units, 'ACTIVE', @created_by, @created_at)
ON CONFLICT (group_id, tag) DO NOTHING
RETURNING *;

-- name: AssetByID :one
SELECT * FROM assets WHERE id = @id;

-- name: LockAsset :one
SELECT * FROM assets WHERE id = @id FOR UPDATE;

-- name: AssetByTag :one
SELECT * FROM assets WHERE group_id = @group_id AND tag = @tag;

-- name: AssetsOfMall :many
-- A page of a mall's assets by id (keyset), optionally of one category, location or status.
SELECT * FROM assets
WHERE group_id = @group_id AND mall_id = @mall_id AND id > @after
    AND (sqlc.narg(category_id)::uuid IS NULL OR category_id = sqlc.narg(category_id))
    AND (@location_kind::text = '' OR (location_kind = @location_kind AND location_ref = @location_ref))
    AND (@status::text = '' OR status = @status)
ORDER BY id LIMIT @lim;

-- name: ActiveAssetsAt :many
SELECT * FROM assets
WHERE group_id = @group_id AND mall_id = @mall_id AND status = 'ACTIVE' AND location_kind = @location_kind
    AND location_ref = @location_ref
ORDER BY tag;

-- name: AssetsByTags :many
SELECT * FROM assets WHERE group_id = @group_id AND tag = ANY(@tags::text[]);

-- name: MoveAsset :exec
UPDATE assets SET location_kind = @location_kind, location_ref = @location_ref, custodian_id = sqlc.narg(custodian_id)
WHERE id = @id;

-- name: InsertTransfer :exec
INSERT INTO asset_transfers (id, group_id, mall_id, asset_id, from_kind, from_ref, to_kind, to_ref, from_custodian,
    to_custodian, reason, by_actor, at)
VALUES (@id, @group_id, @mall_id, @asset_id, @from_kind, @from_ref, @to_kind, @to_ref, sqlc.narg(from_custodian),
    sqlc.narg(to_custodian), @reason, @by_actor, @at);

-- name: TransfersOfAsset :many
SELECT * FROM asset_transfers WHERE asset_id = @asset_id ORDER BY at, id;

-- name: DisposeAsset :exec
UPDATE assets SET status = 'DISPOSED', disposed_on = @disposed_on, disposal_kind = @disposal_kind, proceeds = @proceeds
WHERE id = @id AND status = 'ACTIVE';

-- name: UpsertUsage :exec
INSERT INTO asset_usage (group_id, mall_id, asset_id, period, units) VALUES (@group_id, @mall_id, @asset_id, @period, @units)
ON CONFLICT (asset_id, period) DO UPDATE SET units = EXCLUDED.units;

-- name: UsageOfAssets :many
SELECT asset_id, period, units FROM asset_usage WHERE asset_id = ANY(@asset_ids::uuid[]);
