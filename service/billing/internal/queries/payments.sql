-- Billing payments, allocation, tenant credit, waterfalls, receipts and fapiao requests
-- (service/billing/payments.go, allocation.go, receipts.go, fapiao.go).

-- name: EnsureTenantCredit :exec
INSERT INTO billing_tenant_credits (group_id, merchant_id) VALUES (@group_id, @merchant_id)
ON CONFLICT (merchant_id) DO NOTHING;

-- name: LockTenantCredit :one
-- The merchant's allocation lock and its unapplied credit.
SELECT available FROM billing_tenant_credits WHERE merchant_id = @merchant_id FOR UPDATE;

-- name: LockTenantCredits :many
-- The merchants' credit rows with credit to apply, locked in merchant order.
SELECT merchant_id, available FROM billing_tenant_credits
WHERE merchant_id = ANY(@merchant_ids::uuid[]) AND available > 0 ORDER BY merchant_id FOR UPDATE;

-- name: AddTenantCredit :execrows
-- Moves a merchant's credit by delta, never below zero.
UPDATE billing_tenant_credits SET available = available + @delta::numeric
WHERE merchant_id = @merchant_id AND available + @delta::numeric >= 0;

-- name: OpenLinesOfMerchant :many
-- The merchant's open items (issued bills' lines with something outstanding) with their
-- contract's waterfall, locked in line id order.
SELECT l.id, l.bill_id, l.contract_id, l.code, l.due_on, l.outstanding, w.waterfall
FROM billing_bill_lines l
JOIN billing_bills b ON b.id = l.bill_id
LEFT JOIN billing_waterfalls w ON w.contract_id = l.contract_id
WHERE b.merchant_id = @merchant_id AND b.status = 'issued' AND l.outstanding > 0
ORDER BY l.id
FOR UPDATE OF l;

-- name: SetLinesOutstanding :many
-- Sets each line's outstanding where it still is what the caller read (a line that
-- returns no row changed meanwhile: the caller rolls back). Returns the lines set.
UPDATE billing_bill_lines l SET outstanding = t.next
FROM (SELECT unnest(@ids::uuid[]) AS id, unnest(@was::numeric[]) AS was, unnest(@next::numeric[]) AS next) AS t
WHERE l.id = t.id AND l.outstanding = t.was AND t.next >= 0 AND t.next <= greatest(l.gross, 0)
RETURNING l.id;

-- name: InsertLineMoves :exec
-- Records moves of lines' outstanding (positive: taken off; negative: given back).
INSERT INTO billing_line_moves (group_id, id, line_id, bill_id, merchant_id, on_day, amount, kind, ref_id, created_at)
SELECT @group_id::uuid, unnest(@ids::uuid[]), unnest(@line_ids::uuid[]), unnest(@bill_ids::uuid[]), @merchant_id::uuid,
    @on_day::date, unnest(@amounts::numeric[]), @kind::text, @ref_id::uuid, @created_at::timestamptz;

-- name: InsertPayment :exec
INSERT INTO billing_payments (group_id, mall_id, id, merchant_id, method, amount, credit, reference, receipt_no,
    received_on, order_id, status, created_by, created_at)
VALUES (@group_id, @mall_id, @id, @merchant_id, @method, @amount, @credit, @reference, @receipt_no, @received_on,
    sqlc.narg(order_id), 'posted', @created_by, @created_at);

-- name: InsertAllocations :exec
INSERT INTO billing_allocations (group_id, id, batch_id, payment_id, merchant_id, bill_id, line_id, code, amount, seq,
    created_at)
SELECT @group_id::uuid, t.id, @batch_id::uuid, sqlc.narg(payment_id)::uuid, @merchant_id::uuid, t.bill_id, t.line_id,
    t.code, t.amount, t.seq, @created_at::timestamptz
FROM ROWS FROM (unnest(@ids::uuid[]), unnest(@bill_ids::uuid[]), unnest(@line_ids::uuid[]), unnest(@codes::text[]),
    unnest(@amounts::numeric[])) WITH ORDINALITY AS t(id, bill_id, line_id, code, amount, seq);

-- name: PaymentByID :one
SELECT * FROM billing_payments WHERE id = @id;

-- name: PaymentByOrder :one
SELECT * FROM billing_payments WHERE order_id = @order_id;

-- name: LockPayment :one
SELECT * FROM billing_payments WHERE id = @id FOR UPDATE;

-- name: ReversePayment :execrows
UPDATE billing_payments SET status = 'reversed', reversed_by = @by, reversed_at = @at, reverse_reason = @reason
WHERE id = @id AND status = 'posted';

-- name: AllocationsOfBatch :many
SELECT * FROM billing_allocations WHERE batch_id = @batch_id ORDER BY seq;

-- name: MarkAllocationsReversed :exec
UPDATE billing_allocations SET reversed_at = @at WHERE batch_id = @batch_id AND reversed_at IS NULL;

-- name: PaymentsOfMall :many
-- A page of a mall's payments, newest first, by merchant, method and status.
SELECT * FROM billing_payments
WHERE group_id = @group_id AND mall_id = @mall_id
    AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
    AND (sqlc.narg(merchant_id)::uuid IS NULL OR merchant_id = sqlc.narg(merchant_id))
    AND (sqlc.narg(method)::text IS NULL OR method = sqlc.narg(method))
    AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
ORDER BY id DESC LIMIT @max;

-- name: PaymentsOfMerchant :many
SELECT * FROM billing_payments
WHERE merchant_id = @merchant_id
    AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
ORDER BY id DESC LIMIT @max;

-- name: SetReceiptKey :execrows
UPDATE billing_payments SET receipt_key = @receipt_key WHERE id = @id AND receipt_key = '';

-- name: WaterfallOf :one
SELECT waterfall FROM billing_waterfalls WHERE contract_id = @contract_id;

-- name: UpsertWaterfall :exec
INSERT INTO billing_waterfalls (group_id, mall_id, contract_id, waterfall, updated_by, updated_at)
VALUES (@group_id, @mall_id, @contract_id, @waterfall, @updated_by, @updated_at)
ON CONFLICT (contract_id) DO UPDATE SET waterfall = EXCLUDED.waterfall, updated_by = EXCLUDED.updated_by,
    updated_at = EXCLUDED.updated_at;

-- name: DeleteWaterfall :exec
DELETE FROM billing_waterfalls WHERE contract_id = @contract_id;

-- name: TenantCreditOf :one
SELECT available FROM billing_tenant_credits WHERE merchant_id = @merchant_id;

-- name: InsertFapiaoRequest :execrows
INSERT INTO billing_fapiao_requests (group_id, mall_id, id, bill_id, merchant_id, title, tax_number, email, status,
    requested_by, created_at)
VALUES (@group_id, @mall_id, @id, @bill_id, @merchant_id, @title, @tax_number, @email, 'requested', @requested_by,
    @created_at)
ON CONFLICT (bill_id) DO NOTHING;

-- name: FapiaoOfBill :one
SELECT * FROM billing_fapiao_requests WHERE bill_id = @bill_id;

-- name: FinishFapiao :execrows
UPDATE billing_fapiao_requests SET status = @status, invoice_no = @invoice_no, error = @error, finished_at = @at
WHERE id = @id AND status = 'requested';
