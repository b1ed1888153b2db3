-- name: InsertPurchaseLine :exec
-- One line of a purchase (queued in the purchase's batch, one statement per line of a
-- fixed shape).
INSERT INTO loyalty_purchase_lines (group_id, purchase_id, line_no, code, category, quantity, amount, served_by)
VALUES (@group_id, @purchase_id, @line_no, @code, @category, @quantity, @amount, sqlc.narg(served_by));

-- name: PurchaseLines :many
SELECT * FROM loyalty_purchase_lines WHERE group_id = @group_id AND purchase_id = @purchase_id ORDER BY line_no;
