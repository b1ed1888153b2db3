-- InsertPointsEarned records points earned (negative: clawed back) with the id of the
-- transaction that writes them.
-- name: InsertPointsEarned :one
INSERT INTO loyalty_points_earned (id, mall_id, member_id, month, points, created_at)
VALUES (@id, @mall_id, @member_id, (@month::text || '-01')::date, @points, @created_at)
RETURNING pg_current_xact_id()::text::bigint AS txid;

-- name: CurrentSnapshot :one
SELECT pg_snapshot_xmin(s)::text::bigint AS xmin, pg_snapshot_xmax(s)::text::bigint AS xmax,
    coalesce((SELECT string_agg(x::text, ',') FROM pg_snapshot_xip(s) x), '')::text AS xip
FROM pg_current_snapshot() s;

-- name: MonthSums :many
SELECT member_id, sum(points)::numeric AS points FROM loyalty_points_earned
WHERE mall_id = @mall_id AND month = (@month::text || '-01')::date
GROUP BY member_id HAVING sum(points) <> 0;
