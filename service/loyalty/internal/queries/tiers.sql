-- SpendInWindow is net spend (payable less refunds) in the window (since, until].
-- name: SpendInWindow :one
SELECT coalesce(sum(payable - refunded), 0)::numeric AS metric FROM loyalty_purchases
WHERE member_id = @member_id AND created_at > @since AND created_at <= @until;

-- name: PointsInWindow :one
SELECT coalesce(sum(points), 0)::numeric AS metric FROM loyalty_points_earned
WHERE member_id = @member_id AND created_at > @since AND created_at <= @until;

-- name: SpendInWindowOf :many
-- SpendInWindow for many members at once (members without purchases are left out).
SELECT member_id, coalesce(sum(payable - refunded), 0)::numeric AS metric FROM loyalty_purchases
WHERE member_id = ANY(@member_ids::uuid[]) AND created_at > @since AND created_at <= @until
GROUP BY member_id;

-- name: PointsInWindowOf :many
-- PointsInWindow for many members at once (members without points are left out).
SELECT member_id, coalesce(sum(points), 0)::numeric AS metric FROM loyalty_points_earned
WHERE member_id = ANY(@member_ids::uuid[]) AND created_at > @since AND created_at <= @until
GROUP BY member_id;

-- name: StartTierReview :one
-- The group's review of the day: a new one as of as_of, or the one begun earlier today
-- (its as_of and cursor win, so a rerun continues it).
INSERT INTO loyalty_tier_reviews (group_id, run_on, as_of) VALUES (@group_id, @run_on, @as_of)
ON CONFLICT (group_id, run_on) DO UPDATE SET group_id = excluded.group_id
RETURNING as_of, finished_at;

-- name: LockTierReview :one
-- The review's cursor, locked for one batch: concurrent runs of a review take turns.
SELECT after_id, finished_at FROM loyalty_tier_reviews WHERE group_id = @group_id AND run_on = @run_on FOR UPDATE;

-- name: AdvanceTierReview :exec
-- Records a batch done, in the batch's transaction.
UPDATE loyalty_tier_reviews SET after_id = @after_id, reviewed = reviewed + @reviewed, moved = moved + @moved
WHERE group_id = @group_id AND run_on = @run_on;

-- name: FinishTierReview :exec
UPDATE loyalty_tier_reviews SET finished_at = @finished_at WHERE group_id = @group_id AND run_on = @run_on;
