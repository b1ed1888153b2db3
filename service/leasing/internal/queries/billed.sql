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

-- name: BilledLinesOfContracts :many
SELECT * FROM leasing_billed_lines WHERE group_id = @group_id AND contract_id = ANY(@contract_ids::uuid[])
ORDER BY contract_id, bill_start, code, of_code, period_start, version;

-- name: FreezeLines :many
-- Freezes many lines in one statement (billing's batch); a line frozen before (same
-- identity) is left as it was and not returned: the rows returned are the lines frozen now.
INSERT INTO leasing_billed_lines (group_id, mall_id, contract_id, code, of_code, version, period_start, period_end,
    bill_start, bill_end, due_on, amount, days, basis, frozen_at)
SELECT @group_id::uuid, @mall_id::uuid, t.contract_id, t.code, t.of_code, t.version, t.period_start, t.period_end,
    t.bill_start, t.bill_end, t.due_on, t.amount, t.days, t.basis, @frozen_at::timestamptz
FROM (SELECT unnest(@contract_ids::uuid[]) AS contract_id, unnest(@codes::text[]) AS code,
    unnest(@of_codes::text[]) AS of_code, unnest(@versions::int[]) AS version,
    unnest(@period_starts::date[]) AS period_start, unnest(@period_ends::date[]) AS period_end,
    unnest(@bill_starts::date[]) AS bill_start, unnest(@bill_ends::date[]) AS bill_end,
    unnest(@due_ons::date[]) AS due_on, unnest(@amounts::numeric[]) AS amount, unnest(@days::int[]) AS days,
    unnest(@bases::text[]) AS basis) AS t
ON CONFLICT DO NOTHING
RETURNING contract_id, code, of_code, version, bill_start, period_start;
