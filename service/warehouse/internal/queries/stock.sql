-- Stock balances and the stock ledger (movements).

-- name: LockStock :one
-- Locks the balance of an item in a warehouse for an outgoing movement.
SELECT quantity, value_fen FROM wh_stock WHERE warehouse_id = @warehouse_id AND item_id = @item_id FOR UPDATE;

-- name: StockIn :one
-- Adds to a balance (created at the first movement); returns the new balance and seq.
INSERT INTO wh_stock (group_id, mall_id, warehouse_id, item_id, quantity, value_fen, moves)
VALUES (@group_id, @mall_id, @warehouse_id, @item_id, @quantity, @value_fen, 1)
ON CONFLICT (warehouse_id, item_id) DO UPDATE SET quantity = wh_stock.quantity + excluded.quantity,
    value_fen = wh_stock.value_fen + excluded.value_fen, moves = wh_stock.moves + 1
RETURNING quantity, value_fen, moves;

-- name: StockOut :one
-- Takes from a locked balance; the WHERE and the table's CHECKs refuse to go below zero.
UPDATE wh_stock SET quantity = quantity - @quantity, value_fen = value_fen - @value_fen, moves = moves + 1
WHERE warehouse_id = @warehouse_id AND item_id = @item_id AND quantity >= @quantity
RETURNING quantity, value_fen, moves;

-- name: MovementByKey :one
SELECT * FROM wh_movements WHERE group_id = @group_id AND mall_id = @mall_id
    AND warehouse_id = @warehouse_id AND idempotency_key = @idempotency_key;

-- name: InsertMovement :exec
INSERT INTO wh_movements (id, group_id, mall_id, warehouse_id, item_id, seq, kind, quantity, value_fen, balance,
    balance_fen, reason, ref_id, idempotency_key, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @warehouse_id, @item_id, @seq, @kind, @quantity, @value_fen, @balance,
    @balance_fen, @reason, @ref_id, @idempotency_key, @created_by, @created_at);

-- name: StockOfWarehouse :many
SELECT s.*, i.name AS item_name, i.unit FROM wh_stock s JOIN wh_items i ON i.id = s.item_id
WHERE s.warehouse_id = @warehouse_id ORDER BY i.name, s.item_id;

-- name: StockOfMall :many
SELECT s.*, i.name AS item_name, i.unit FROM wh_stock s JOIN wh_items i ON i.id = s.item_id
WHERE s.group_id = @group_id AND s.mall_id = @mall_id ORDER BY s.warehouse_id, i.name, s.item_id;

-- name: StockLevels :many
-- The quantities of items in warehouses (the caller keeps the pairs it asked for).
SELECT warehouse_id, item_id, quantity FROM wh_stock
WHERE warehouse_id = ANY (@warehouse_ids::uuid[]) AND item_id = ANY (@item_ids::uuid[]);

-- name: Movements :many
-- The stock ledger of an item in a warehouse, newest first, before seq before_seq.
SELECT * FROM wh_movements WHERE warehouse_id = @warehouse_id AND item_id = @item_id AND seq < @before_seq
ORDER BY seq DESC LIMIT @max;

-- name: MovementsOfRef :many
SELECT * FROM wh_movements WHERE ref_id = @ref_id ORDER BY warehouse_id, item_id, seq;

-- name: StockOffLedger :many
-- Verify: balances that disagree with their movements (sums, last running balance, seq).
WITH m AS (
    SELECT warehouse_id, item_id, sum(quantity)::bigint AS qty, sum(value_fen)::bigint AS val, count(*)::bigint AS n,
        max(seq)::bigint AS last_seq
    FROM wh_movements GROUP BY warehouse_id, item_id
), last AS (
    SELECT DISTINCT ON (warehouse_id, item_id) warehouse_id, item_id, balance, balance_fen
    FROM wh_movements ORDER BY warehouse_id, item_id, seq DESC
)
SELECT s.warehouse_id, s.item_id, s.quantity::bigint AS quantity, s.value_fen, s.moves,
    COALESCE(m.qty, 0)::bigint AS moved_qty, COALESCE(m.val, 0)::bigint AS moved_fen, COALESCE(m.n, 0)::bigint AS n,
    COALESCE(m.last_seq, 0)::bigint AS last_seq, COALESCE(last.balance, 0)::bigint AS last_balance,
    COALESCE(last.balance_fen, 0)::bigint AS last_balance_fen
FROM wh_stock s LEFT JOIN m USING (warehouse_id, item_id) LEFT JOIN last USING (warehouse_id, item_id)
WHERE m.qty IS DISTINCT FROM s.quantity OR m.val IS DISTINCT FROM s.value_fen OR m.n IS DISTINCT FROM s.moves
    OR m.last_seq IS DISTINCT FROM s.moves OR last.balance IS DISTINCT FROM s.quantity
    OR last.balance_fen IS DISTINCT FROM s.value_fen;

-- name: MovementsOffChain :many
-- Verify: movements whose running balance is not the previous balance plus the movement,
-- and movements of an item and warehouse with no balance row.
SELECT id, warehouse_id, item_id, seq FROM (
    SELECT m.*, lag(balance, 1, 0) OVER w AS prev, lag(balance_fen, 1, 0::bigint) OVER w AS prev_fen
    FROM wh_movements m WINDOW w AS (PARTITION BY warehouse_id, item_id ORDER BY seq)
) x
WHERE balance <> prev + quantity OR balance_fen <> prev_fen + value_fen
    OR NOT EXISTS (SELECT 1 FROM wh_stock s WHERE s.warehouse_id = x.warehouse_id AND s.item_id = x.item_id)
ORDER BY warehouse_id, item_id, seq;
