-- SpendInWindow is net spend (payable less refunds) in the window (since, until].
-- name: SpendInWindow :one
SELECT coalesce(sum(payable - refunded), 0)::numeric AS metric FROM loyalty_purchases
WHERE member_id = @member_id AND created_at > @since AND created_at <= @until;

-- name: PointsInWindow :one
SELECT coalesce(sum(points), 0)::numeric AS metric FROM loyalty_points_earned
WHERE member_id = @member_id AND created_at > @since AND created_at <= @until;
