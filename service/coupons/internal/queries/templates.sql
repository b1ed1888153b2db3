-- name: InsertTemplate :one
INSERT INTO coupon_templates (id, mall_id, name, kind, face_value, percent_off, parking_hours, min_spend, merchant_ids,
    categories, valid_from, valid_until, valid_days, windows, total_stock, per_member, budget_cap, stacking, funder)
VALUES (@id, @mall_id, @name, @kind, @face_value, nullif(@percent_off::numeric, 0), nullif(@parking_hours::integer, 0),
    @min_spend, @merchant_ids::uuid[], @categories::text[], sqlc.narg(valid_from), sqlc.narg(valid_until),
    nullif(@valid_days::integer, 0), @windows, @total_stock, @per_member, sqlc.narg(budget_cap), @stacking, @funder)
RETURNING *;

-- name: TemplateByID :one
-- A template with its issued count (the sum of its count's shards).
SELECT sqlc.embed(t), (SELECT coalesce(sum(n.issued), 0) FROM coupon_issue_counts n
        WHERE n.mall_id = t.mall_id AND n.template_id = t.id)::integer AS issued
FROM coupon_templates t WHERE t.id = @id;

-- name: TemplatesByIDs :many
SELECT sqlc.embed(t), (SELECT coalesce(sum(n.issued), 0) FROM coupon_issue_counts n
        WHERE n.mall_id = t.mall_id AND n.template_id = t.id)::integer AS issued
FROM coupon_templates t WHERE t.id = ANY(@ids::uuid[]);

-- name: SetTemplateStatus :execrows
-- The status moves only from the status the transition table was checked against (the
-- concurrency guard: a concurrent change makes this update nothing).
UPDATE coupon_templates SET status = @to_status WHERE id = @id AND status = @from_status;

-- name: TemplatesOfMall :many
-- A mall's templates, newest first, keyset after (uuid max for the first page); status ''
-- lists every status.
SELECT sqlc.embed(t), (SELECT coalesce(sum(n.issued), 0) FROM coupon_issue_counts n
        WHERE n.mall_id = t.mall_id AND n.template_id = t.id)::integer AS issued
FROM coupon_templates t
WHERE t.mall_id = @mall_id AND (@status::text = '' OR t.status = @status::text) AND t.id < @after
ORDER BY t.id DESC LIMIT @lim;

-- name: ClaimableTemplates :many
-- The coupon centre: a mall's active templates not past their fixed validity, newest
-- first, with how many the member has claimed.
SELECT sqlc.embed(t), (SELECT coalesce(sum(n.issued), 0) FROM coupon_issue_counts n
        WHERE n.mall_id = t.mall_id AND n.template_id = t.id)::integer AS issued,
    coalesce((SELECT c.claimed FROM coupon_member_claims c
        WHERE c.template_id = t.id AND c.member_id = @member_id), 0)::integer AS my_claims
FROM coupon_templates t
WHERE t.mall_id = @mall_id AND t.status = 'active' AND (t.valid_until IS NULL OR t.valid_until > @now::timestamptz)
ORDER BY t.id DESC LIMIT 200;
