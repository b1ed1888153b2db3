-- name: InsertStocktake :one
INSERT INTO asset_stocktakes (id, group_id, mall_id, location_kind, location_ref, status, started_by, started_at, note)
VALUES (@id, @group_id, @mall_id, @location_kind, @location_ref, 'COUNTING', @started_by, @started_at, @note)
RETURNING *;

-- name: StocktakeByID :one
SELECT * FROM asset_stocktakes WHERE id = @id;

-- name: LockStocktake :one
SELECT * FROM asset_stocktakes WHERE id = @id FOR UPDATE;

-- name: StocktakesOfMall :many
SELECT * FROM asset_stocktakes WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY id DESC LIMIT @lim;

-- name: SetStocktakeStatus :exec
UPDATE asset_stocktakes SET status = @status,
    submitted_by = COALESCE(sqlc.narg(submitted_by), submitted_by), submitted_at = COALESCE(sqlc.narg(submitted_at), submitted_at),
    decided_by = COALESCE(sqlc.narg(decided_by), decided_by), decided_at = COALESCE(sqlc.narg(decided_at), decided_at)
WHERE id = @id;

-- name: InsertScans :execrows
-- A batch of scans; a client scan id already uploaded is skipped.
INSERT INTO asset_stocktake_scans (stocktake_id, client_scan_id, group_id, mall_id, tag, scanned_by, scanned_at, received_at)
SELECT @stocktake_id::uuid, c, @group_id::uuid, @mall_id::uuid, g, @scanned_by::text, a, @received_at::timestamptz
FROM (SELECT unnest(@client_scan_ids::text[]) AS c, unnest(@tags::text[]) AS g,
    unnest(@scanned_ats::timestamptz[]) AS a) AS s
ON CONFLICT (stocktake_id, client_scan_id) DO NOTHING;

-- name: ScannedTags :many
SELECT DISTINCT tag FROM asset_stocktake_scans WHERE stocktake_id = @stocktake_id ORDER BY tag;

-- name: ScanCount :one
SELECT count(*) FROM asset_stocktake_scans WHERE stocktake_id = @stocktake_id;
