-- name: UpsertBills :many
-- The run's draft bill of each merchant given, created when missing; returns each with its id.
INSERT INTO billing_bills (group_id, mall_id, id, run_id, merchant_id, period, status, created_at)
SELECT @group_id::uuid, @mall_id::uuid, i, @run_id::uuid, m, @period::text, 'draft', @created_at::timestamptz
FROM (SELECT unnest(@ids::uuid[]) AS i, unnest(@merchant_ids::uuid[]) AS m) AS t
ORDER BY m
ON CONFLICT (run_id, merchant_id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id
RETURNING id, merchant_id;

-- name: InsertLines :copyfrom
INSERT INTO billing_bill_lines (group_id, bill_id, id, contract_id, source, source_key, code, of_code, period_start,
    period_end, due_on, vat_rate, net, vat, gross, outstanding, basis)
VALUES (@group_id, @bill_id, @id, @contract_id, @source, @source_key, @code, @of_code, @period_start, @period_end,
    @due_on, @vat_rate, @net, @vat, @gross, @outstanding, @basis);

-- name: RefreshBillTotals :exec
-- A bill's amounts and due date are its lines'.
UPDATE billing_bills b SET net = s.net, vat = s.vat, gross = s.gross, outstanding = s.outstanding, due_on = s.due_on
FROM (SELECT bill_id, sum(net) AS net, sum(vat) AS vat, sum(gross) AS gross, sum(outstanding) AS outstanding,
        min(due_on) AS due_on
    FROM billing_bill_lines WHERE bill_id = ANY(@bill_ids::uuid[]) GROUP BY bill_id) AS s
WHERE b.id = s.bill_id;

-- name: BillByID :one
SELECT * FROM billing_bills WHERE id = @id;

-- name: LockBill :one
SELECT * FROM billing_bills WHERE id = @id FOR UPDATE;

-- name: BillsOfMall :many
-- A page of a mall's bills, newest first, by status, merchant and period.
SELECT * FROM billing_bills
WHERE group_id = @group_id AND mall_id = @mall_id
    AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
    AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
    AND (sqlc.narg(merchant_id)::uuid IS NULL OR merchant_id = sqlc.narg(merchant_id))
    AND (sqlc.narg(period)::text IS NULL OR period = sqlc.narg(period))
    AND (sqlc.narg(run_id)::uuid IS NULL OR run_id = sqlc.narg(run_id))
ORDER BY id DESC LIMIT @max;

-- name: IssuedBillsOfMerchant :many
SELECT * FROM billing_bills
WHERE merchant_id = @merchant_id AND status = 'issued'
    AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
ORDER BY id DESC LIMIT @max;

-- name: LinesOfBill :many
SELECT * FROM billing_bill_lines WHERE bill_id = @bill_id ORDER BY due_on, code, period_start, id;

-- name: LinesOfBills :many
SELECT * FROM billing_bill_lines WHERE bill_id = ANY(@bill_ids::uuid[]) ORDER BY bill_id, due_on, code, period_start, id;

-- name: MoveBill :execrows
-- A bill's status change, guarded by its status (the state machine's sources).
UPDATE billing_bills SET status = @to_status,
    reviewed_by = CASE WHEN @to_status = 'reviewed' THEN @by::uuid ELSE reviewed_by END,
    reviewed_at = CASE WHEN @to_status = 'reviewed' THEN @at::timestamptz ELSE reviewed_at END,
    voided_by = CASE WHEN @to_status = 'void' THEN @by::uuid ELSE voided_by END,
    voided_at = CASE WHEN @to_status = 'void' THEN @at::timestamptz ELSE voided_at END,
    void_reason = CASE WHEN @to_status = 'void' THEN @reason::text ELSE void_reason END
WHERE id = @id AND status = ANY(@from_statuses::text[]);

-- name: IssueBills :many
-- Issues reviewed bills: each records its posting key; returns the bills issued now.
UPDATE billing_bills b SET status = 'issued', issued_by = @by::uuid, issued_at = @at::timestamptz,
    posting_key = t.posting_key
FROM (SELECT unnest(@ids::uuid[]) AS id, unnest(@posting_keys::text[]) AS posting_key) AS t
WHERE b.id = t.id AND b.status = 'reviewed'
RETURNING b.id;

-- name: ReviewedBillsOfRun :many
SELECT * FROM billing_bills WHERE run_id = @run_id AND status = 'reviewed' AND id > @after ORDER BY id LIMIT @max;

-- name: LockReviewedBills :many
SELECT * FROM billing_bills WHERE id = ANY(@ids::uuid[]) AND status = 'reviewed' ORDER BY id FOR UPDATE;

-- name: CountBillsOfMall :one
-- How many bills BillsOfMall lists (an export's total).
SELECT count(*) FROM billing_bills
WHERE group_id = @group_id AND mall_id = @mall_id
    AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
    AND (sqlc.narg(merchant_id)::uuid IS NULL OR merchant_id = sqlc.narg(merchant_id))
    AND (sqlc.narg(period)::text IS NULL OR period = sqlc.narg(period))
    AND (sqlc.narg(run_id)::uuid IS NULL OR run_id = sqlc.narg(run_id));

-- name: BillsDueSoon :many
-- A mall's issued bills with money outstanding falling due in [from, to] (bill_due reminders).
SELECT id, merchant_id, period, outstanding, due_on FROM billing_bills
WHERE group_id = @group_id AND mall_id = @mall_id AND status = 'issued' AND outstanding > 0
  AND due_on BETWEEN @from_day::date AND @to_day::date;
