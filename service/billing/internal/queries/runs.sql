-- name: InsertRun :one
-- Records a mall's run of a period; a second start of the same period gets nothing back
-- (the caller reads the existing run).
INSERT INTO billing_runs (group_id, mall_id, id, period, status, created_by, created_at)
VALUES (@group_id, @mall_id, @id, @period, 'queued', @created_by, @created_at)
ON CONFLICT (group_id, mall_id, period) DO NOTHING
RETURNING *;

-- name: RunByPeriod :one
SELECT * FROM billing_runs WHERE group_id = @group_id AND mall_id = @mall_id AND period = @period;

-- name: RunByID :one
SELECT * FROM billing_runs WHERE id = @id;

-- name: LockRun :one
SELECT * FROM billing_runs WHERE id = @id FOR UPDATE;

-- name: StartRun :exec
UPDATE billing_runs SET status = @to_status, total = @total, started_at = coalesce(started_at, @at)
WHERE id = @id AND status = ANY(@from_statuses::text[]);

-- name: AdvanceRun :exec
-- Commits a batch's progress with the batch.
UPDATE billing_runs SET cursor = @cursor, done = done + @done, billed = billed + @billed,
    skipped = skipped + @skipped, error = ''
WHERE id = @id;

-- name: FinishRun :exec
UPDATE billing_runs SET status = @to_status, finished_at = @at WHERE id = @id AND status = ANY(@from_statuses::text[]);

-- name: SetRunError :exec
UPDATE billing_runs SET error = @error WHERE id = @id;

-- name: RunsOfMall :many
-- A mall's runs, newest first.
SELECT * FROM billing_runs WHERE group_id = @group_id AND mall_id = @mall_id
    AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
ORDER BY id DESC LIMIT @max;

-- name: InsertRunItems :exec
INSERT INTO billing_run_items (run_id, contract_id, merchant_id, outcome, reason, lines, gross)
SELECT @run_id::uuid, c, m, o, r, n, g
FROM (SELECT unnest(@contract_ids::uuid[]) AS c, unnest(@merchant_ids::uuid[]) AS m, unnest(@outcomes::text[]) AS o,
    unnest(@reasons::text[]) AS r, unnest(@lines::int[]) AS n, unnest(@grosses::numeric[]) AS g) AS t
ON CONFLICT DO NOTHING;

-- name: RunItems :many
SELECT * FROM billing_run_items WHERE run_id = @run_id AND contract_id > @after ORDER BY contract_id LIMIT @max;
