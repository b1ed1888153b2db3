-- name: MallsWithActiveAssets :many
SELECT DISTINCT group_id, mall_id FROM assets WHERE status = 'ACTIVE';

-- name: ActiveAssetsOfMall :many
SELECT * FROM assets WHERE group_id = @group_id AND mall_id = @mall_id AND status = 'ACTIVE' ORDER BY id;

-- name: LinesOfAssets :many
SELECT * FROM asset_depreciation_lines WHERE asset_id = ANY(@asset_ids::uuid[]) ORDER BY asset_id, period;

-- name: InsertLine :execrows
-- A month's line; a line already there (a rerun, a concurrent run) is left as it is.
INSERT INTO asset_depreciation_lines (group_id, mall_id, asset_id, period, amount, posting_key, posted_at)
VALUES (@group_id, @mall_id, @asset_id, @period, @amount, @posting_key, @posted_at)
ON CONFLICT (asset_id, period) DO NOTHING;

-- name: AccumulatedByMall :many
-- Per mall: the depreciation of its active assets (opening accumulated and posted lines).
SELECT a.group_id, a.mall_id,
    (SUM(a.opening_accumulated) + COALESCE(SUM((SELECT SUM(l.amount) FROM asset_depreciation_lines l WHERE l.asset_id = a.id)), 0))::bigint AS accumulated,
    SUM(a.cost)::bigint AS cost
FROM assets a WHERE a.status = 'ACTIVE'
GROUP BY a.group_id, a.mall_id;

-- name: LineKeys :many
SELECT posting_key FROM asset_depreciation_lines WHERE amount > 0;
