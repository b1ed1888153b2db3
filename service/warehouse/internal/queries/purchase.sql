-- Purchase orders, their lines and receipts (stock-in).

-- name: InsertPurchaseOrder :exec
INSERT INTO wh_purchase_orders (id, group_id, mall_id, warehouse_id, supplier_id, status, note, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @warehouse_id, @supplier_id, 'draft', @note, @created_by, @created_at);

-- name: InsertPOLine :exec
INSERT INTO wh_po_lines (id, po_id, line_no, item_id, ordered, unit_cost_fen)
VALUES (@id, @po_id, @line_no, @item_id, @ordered, @unit_cost_fen);

-- name: PurchaseOrder :one
SELECT * FROM wh_purchase_orders WHERE id = @id;

-- name: LockPurchaseOrder :one
SELECT * FROM wh_purchase_orders WHERE id = @id FOR UPDATE;

-- name: POLines :many
SELECT * FROM wh_po_lines WHERE po_id = @po_id ORDER BY line_no;

-- name: PurchaseOrdersOfMall :many
SELECT * FROM wh_purchase_orders WHERE group_id = @group_id AND mall_id = @mall_id
ORDER BY created_at DESC, id DESC LIMIT 200;

-- name: SetPOStatus :exec
UPDATE wh_purchase_orders SET status = @status,
    approved_by = COALESCE(sqlc.narg(approved_by), approved_by),
    approved_at = COALESCE(sqlc.narg(approved_at), approved_at)
WHERE id = @id;

-- name: AddReceived :exec
UPDATE wh_po_lines SET received = received + @counted WHERE id = @id;

-- name: InsertReceipt :exec
INSERT INTO wh_receipts (id, group_id, mall_id, po_id, received_by, received_at)
VALUES (@id, @group_id, @mall_id, @po_id, @received_by, @received_at);

-- name: InsertReceiptLine :exec
INSERT INTO wh_receipt_lines (receipt_id, po_line_id, due, counted, unit_cost_fen)
VALUES (@receipt_id, @po_line_id, @due, @counted, @unit_cost_fen);

-- name: ReceiptLinesOfPO :many
SELECT r.id AS receipt_id, r.received_by, r.received_at, l.po_line_id, l.due, l.counted, l.unit_cost_fen
FROM wh_receipts r JOIN wh_receipt_lines l ON l.receipt_id = r.id
WHERE r.po_id = @po_id ORDER BY r.received_at, r.id, l.po_line_id;
