-- name: FlagRoundMisses :many
-- Flags, once, the checkpoints of the round of route started at round_start whose
-- window closed by now without a scan inside it; rounds that began before the route
-- existed are not checked. Returns the misses flagged now.
INSERT INTO patrol_misses (id, mall_id, route_id, round_start, seq, checkpoint_id, due_by, flagged_at)
SELECT gen_random_uuid(), r.mall_id, r.id, sqlc.arg(round_start)::timestamptz, p.seq, p.checkpoint_id,
    sqlc.arg(round_start)::timestamptz + p.to_min * interval '1 minute', @now::timestamptz
FROM patrol_route_points p JOIN patrol_routes r ON r.id = p.route_id
WHERE p.route_id = @route_id AND r.created_at <= sqlc.arg(round_start)::timestamptz
    AND sqlc.arg(round_start)::timestamptz + p.to_min * interval '1 minute' <= @now::timestamptz
    AND NOT EXISTS (SELECT 1 FROM patrol_scans s WHERE s.checkpoint_id = p.checkpoint_id
        AND s.at >= sqlc.arg(round_start)::timestamptz + p.from_min * interval '1 minute'
        AND s.at <= sqlc.arg(round_start)::timestamptz + p.to_min * interval '1 minute')
ON CONFLICT (route_id, round_start, seq) DO NOTHING
RETURNING id, mall_id, route_id, round_start, seq, checkpoint_id, due_by, flagged_at;

-- name: MissesOfMall :many
SELECT id, mall_id, route_id, round_start, seq, checkpoint_id, due_by, flagged_at
FROM patrol_misses WHERE mall_id = @mall_id AND round_start >= @from_at AND round_start < @to_at
ORDER BY round_start, seq;
