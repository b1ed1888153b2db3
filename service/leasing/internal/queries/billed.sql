-- name: BilledLines :many
SELECT * FROM leasing_billed_lines WHERE group_id = @group_id AND contract_id = @contract_id
ORDER BY bill_start, code, of_code, period_start, version;

-- name: InsertBilledLine :execrows
-- Freezes one line; a line frozen before (same identity) is left as it was.
INSERT INTO leasing_billed_lines (group_id, mall_id, contract_id, code, of_code, version, period_start, period_end,
    bill_start, bill_end, due_on, amount, days, basis, frozen_at)
VALUES (@group_id, @mall_id, @contract_id, @code, @of_code, @version, @period_start, @period_end,
    @bill_start, @bill_end, @due_on, @amount, @days, @basis, @frozen_at)
ON CONFLICT DO NOTHING;
