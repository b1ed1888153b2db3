-- name: InsertPlan :exec
INSERT INTO patrol_plans (id, mall_id, route_id, name, weekdays, times, random_count, created_by, created_at)
VALUES (@id, @mall_id, @route_id, @name, @weekdays, @times, @random_count, @created_by, @created_at);

-- name: PlansOfMall :many
SELECT * FROM patrol_plans WHERE mall_id = @mall_id AND active ORDER BY id;

-- name: ActivePlans :many
SELECT * FROM patrol_plans WHERE active ORDER BY id;

-- name: DeactivatePlan :execrows
UPDATE patrol_plans SET active = false WHERE id = @id AND mall_id = @mall_id AND active;

-- name: PlanMall :one
SELECT mall_id FROM patrol_plans WHERE id = @id;

-- name: RoutePoints :many
SELECT seq, checkpoint_id, from_min, to_min FROM patrol_route_points WHERE route_id = @route_id ORDER BY seq;

-- name: RouteOfMall :one
SELECT id FROM patrol_routes WHERE id = @id AND mall_id = @mall_id AND active;

-- name: InsertRound :execrows
-- A plan's round at a start, once (a rerun or a second instance inserts nothing).
INSERT INTO patrol_rounds (id, mall_id, plan_id, route_id, starts_at, ends_at, seed, seqs, guard_id, shift_id, created_at)
VALUES (@id, @mall_id, @plan_id, @route_id, @starts_at, @ends_at, @seed, @seqs, sqlc.narg(guard_id),
    sqlc.narg(shift_id), @created_at)
ON CONFLICT (plan_id, starts_at) DO NOTHING;

-- name: UnguardedRounds :many
-- Rounds not started yet without a guard (the roster may have been filled in since).
SELECT id, mall_id, starts_at FROM patrol_rounds
WHERE guard_id IS NULL AND starts_at > @now AND starts_at <= @until ORDER BY starts_at;

-- name: SetRoundGuard :exec
UPDATE patrol_rounds SET guard_id = @guard_id, shift_id = @shift_id WHERE id = @id AND guard_id IS NULL;

-- name: DueRounds :many
-- Rounds whose last window closed by now and were not checked, locked so that two
-- checkers take different ones.
SELECT * FROM patrol_rounds WHERE checked_at IS NULL AND ends_at <= @now
ORDER BY ends_at LIMIT 100 FOR UPDATE SKIP LOCKED;

-- name: UnscannedOfRound :many
-- The round's checkpoints with no scan inside their window.
SELECT p.seq, p.checkpoint_id, (r.starts_at + p.to_min * interval '1 minute')::timestamptz AS due_by
FROM patrol_rounds r JOIN patrol_route_points p ON p.route_id = r.route_id AND p.seq = ANY (r.seqs)
WHERE r.id = @round_id
    AND NOT EXISTS (SELECT 1 FROM patrol_scans s WHERE s.checkpoint_id = p.checkpoint_id
        AND s.at >= r.starts_at + p.from_min * interval '1 minute'
        AND s.at <= r.starts_at + p.to_min * interval '1 minute')
ORDER BY p.seq;

-- name: InsertRoundMiss :many
-- Flags a round's miss once (the route path may have flagged the same checkpoint of
-- the same start already: then nothing).
INSERT INTO patrol_misses (id, mall_id, route_id, round_start, seq, checkpoint_id, due_by, flagged_at, round_id)
VALUES (@id, @mall_id, @route_id, @round_start, @seq, @checkpoint_id, @due_by, @flagged_at, @round_id)
ON CONFLICT (route_id, round_start, seq) DO NOTHING
RETURNING id, mall_id, route_id, round_start, seq, checkpoint_id, due_by, flagged_at;

-- name: MarkRoundChecked :exec
UPDATE patrol_rounds SET checked_at = @checked_at, missed = @missed WHERE id = @id;

-- name: RoundsOfMall :many
SELECT * FROM patrol_rounds WHERE mall_id = @mall_id AND starts_at >= @from_at AND starts_at < @to_at
ORDER BY starts_at, id;

-- name: Round :one
SELECT * FROM patrol_rounds WHERE id = @id;

-- name: InsertAnomaly :exec
INSERT INTO patrol_anomalies (id, mall_id, guard_id, checkpoint_id, round_id, description, photos, order_id, at)
VALUES (@id, @mall_id, @guard_id, sqlc.narg(checkpoint_id), sqlc.narg(round_id), @description, @photos, @order_id, @at);

-- name: AnomaliesOfMall :many
SELECT * FROM patrol_anomalies WHERE mall_id = @mall_id AND at >= @from_at AND at < @to_at ORDER BY at, id;

-- name: CheckpointOfMall :one
SELECT id FROM patrol_checkpoints WHERE id = @id AND mall_id = @mall_id;

-- name: ComplianceByGuard :many
-- Per guard (NULL: rounds nobody was on shift for): rounds planned in the range, those
-- checked with no miss, checkpoints missed and checkpoints due in checked rounds.
SELECT guard_id, count(*)::int AS planned,
    (count(*) FILTER (WHERE checked_at IS NOT NULL AND missed = 0))::int AS completed,
    coalesce(sum(missed), 0)::int AS missed,
    coalesce(sum(cardinality(seqs)) FILTER (WHERE checked_at IS NOT NULL), 0)::int AS due
FROM patrol_rounds WHERE mall_id = @mall_id AND starts_at >= @from_at AND starts_at < @to_at
GROUP BY guard_id ORDER BY guard_id NULLS LAST;

-- name: ComplianceByRoute :many
SELECT route_id, count(*)::int AS planned,
    (count(*) FILTER (WHERE checked_at IS NOT NULL AND missed = 0))::int AS completed,
    coalesce(sum(missed), 0)::int AS missed,
    coalesce(sum(cardinality(seqs)) FILTER (WHERE checked_at IS NOT NULL), 0)::int AS due
FROM patrol_rounds WHERE mall_id = @mall_id AND starts_at >= @from_at AND starts_at < @to_at
GROUP BY route_id ORDER BY route_id;
