-- name: SegmentMembers :many
-- Active members of a group with any of tags (none: any), last seen at or after
-- last_visit_after (NULL: any time), in any of tier_ids (none: any tier), and whose net
-- spend (payable less refunded) since spend_since is at least min_spend (<= 0: no spend
-- criterion), in id order.
SELECT m.id FROM members m
WHERE m.group_id = @group_id::uuid AND m.status = 'active'
    AND (cardinality(@tags::text[]) = 0 OR m.tags && @tags::text[])
    AND (sqlc.narg(last_visit_after)::timestamptz IS NULL OR m.last_login_at >= sqlc.narg(last_visit_after)::timestamptz)
    AND (cardinality(@tier_ids::uuid[]) = 0 OR m.tier_id = ANY(@tier_ids::uuid[]))
    AND (@min_spend::numeric <= 0 OR (SELECT coalesce(sum(p.payable - p.refunded), 0) FROM loyalty_purchases p
        WHERE p.member_id = m.id AND p.created_at >= @spend_since::timestamptz) >= @min_spend::numeric)
ORDER BY m.id;

-- name: InsertSegmentRun :exec
INSERT INTO coupon_segment_runs (id, template_id, segment, created_at) VALUES (@id, @template_id, @segment, @created_at);

-- name: SegmentRunByID :one
SELECT sqlc.embed(r), t.mall_id FROM coupon_segment_runs r JOIN coupon_templates t ON t.id = r.template_id
WHERE r.id = @id;

-- name: StartSegmentRun :execrows
UPDATE coupon_segment_runs SET status = @to_status, error = '' WHERE id = @id AND status = ANY(@from_statuses::text[]);

-- name: EndSegmentRun :exec
-- A run done or failed (err: why), with its counts.
UPDATE coupon_segment_runs SET status = @to_status, error = @err, issued = @issued, skipped = @skipped,
    finished_at = @finished_at::timestamptz
WHERE id = @id;
