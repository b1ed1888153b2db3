-- name: InsertRoute :exec
INSERT INTO patrol_routes (id, mall_id, name, round_starts, created_at)
VALUES (@id, @mall_id, @name, @round_starts, @created_at);

-- name: InsertRoutePoint :execrows
-- Adds the checkpoint at seq if it is one of the route's mall (0 rows: it is not).
INSERT INTO patrol_route_points (route_id, seq, checkpoint_id, from_min, to_min)
SELECT @route_id::uuid, @seq::int, id, @from_min::int, @to_min::int FROM patrol_checkpoints
WHERE id = @checkpoint_id AND mall_id = @mall_id;

-- name: ActiveRoutesOfMall :many
-- A mall's active routes with their checkpoints and windows in route order.
SELECT r.id, r.mall_id, r.name, r.round_starts,
    coalesce(array_agg(p.checkpoint_id ORDER BY p.seq) FILTER (WHERE p.seq IS NOT NULL), '{}')::uuid[] AS checkpoint_ids,
    coalesce(array_agg(p.from_min ORDER BY p.seq) FILTER (WHERE p.seq IS NOT NULL), '{}')::int[] AS from_mins,
    coalesce(array_agg(p.to_min ORDER BY p.seq) FILTER (WHERE p.seq IS NOT NULL), '{}')::int[] AS to_mins
FROM patrol_routes r LEFT JOIN patrol_route_points p ON p.route_id = r.id
WHERE r.mall_id = @mall_id AND r.active GROUP BY r.id ORDER BY r.id;

-- name: ActiveRoutes :many
-- Every active route's rounds, for the missed-checkpoint job.
SELECT id, mall_id, round_starts FROM patrol_routes WHERE active;
