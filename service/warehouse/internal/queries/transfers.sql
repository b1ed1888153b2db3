-- Stock-out documents, transfers and stocktakes.

-- name: InsertIssue :exec
INSERT INTO wh_issues (id, group_id, mall_id, warehouse_id, reason, note, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @warehouse_id, @reason, @note, @created_by, @created_at);

-- name: InsertTransfer :exec
INSERT INTO wh_transfers (id, group_id, mall_id, from_warehouse_id, to_warehouse_id, note, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @from_warehouse_id, @to_warehouse_id, @note, @created_by, @created_at);

-- name: InsertStocktake :exec
INSERT INTO wh_stocktakes (id, group_id, mall_id, warehouse_id, status, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @warehouse_id, 'counting', @created_by, @created_at);

-- name: Stocktake :one
SELECT * FROM wh_stocktakes WHERE id = @id;

-- name: LockStocktake :one
SELECT * FROM wh_stocktakes WHERE id = @id FOR UPDATE;

-- name: StocktakesOfWarehouse :many
SELECT * FROM wh_stocktakes WHERE warehouse_id = @warehouse_id ORDER BY created_at DESC, id DESC LIMIT 100;

-- name: StocktakeLines :many
SELECT l.*, i.name AS item_name FROM wh_stocktake_lines l JOIN wh_items i ON i.id = l.item_id
WHERE l.stocktake_id = @stocktake_id ORDER BY i.name, l.item_id;

-- name: UpsertStocktakeLine :exec
-- Records a count; expected is the book quantity at the time of the count.
INSERT INTO wh_stocktake_lines (stocktake_id, item_id, expected, counted)
VALUES (@stocktake_id, @item_id, COALESCE((SELECT quantity FROM wh_stock WHERE warehouse_id = @warehouse_id
    AND item_id = @item_id), 0), @counted)
ON CONFLICT (stocktake_id, item_id) DO UPDATE SET expected = excluded.expected, counted = excluded.counted;

-- name: SetStocktakeStatus :exec
UPDATE wh_stocktakes SET status = @status, submitted_by = COALESCE(sqlc.narg(submitted_by), submitted_by),
    decided_by = COALESCE(sqlc.narg(decided_by), decided_by), decided_at = COALESCE(sqlc.narg(decided_at), decided_at)
WHERE id = @id;
