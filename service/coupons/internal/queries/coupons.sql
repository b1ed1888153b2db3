-- name: MerchantsForTemplate :one
-- The merchants of a mall a template names, by id or by category (the coupon's code
-- carries the resolved list).
SELECT coalesce(array_agg(id), '{}')::uuid[] FROM merchants
WHERE mall_id = @mall_id AND (id = ANY(@merchant_ids::uuid[]) OR category = ANY(@categories::text[]));

-- name: CouponByID :one
SELECT * FROM coupons WHERE id = @id;

-- name: CouponsOfMember :many
-- A member's coupons, newest first, keyset after (uuid max for the first page).
SELECT * FROM coupons WHERE member_id = @member_id AND id < @after ORDER BY id DESC LIMIT @lim;

-- name: LockMemberCoupons :many
-- The member's coupons among ids, locked for a purchase that uses them.
SELECT * FROM coupons WHERE id = ANY(@ids::uuid[]) AND member_id = @member_id ORDER BY id FOR UPDATE;

-- name: CouponStatusForUpdate :one
SELECT status FROM coupons WHERE id = @id FOR UPDATE;

-- name: UseCouponByStaff :execrows
-- A coupon redeemed by staff (its code scanned): used at face value, funded by the
-- template's funder, counted on the template.
WITH u AS (
    UPDATE coupons c SET status = @to_status, used_at = @used_at::timestamptz, used_ref = 'redemption', discount = t.face_value,
        funder = t.funder
    FROM coupon_templates t
    WHERE c.id = @id AND c.status = @from_status AND t.id = c.template_id
    RETURNING c.template_id)
UPDATE coupon_templates t SET redeemed_count = redeemed_count + 1 FROM u WHERE t.id = u.template_id;

-- name: RestoreCouponByStaff :exec
-- A staff redemption voided: the coupon is usable again and the template's count given back.
WITH u AS (
    UPDATE coupons c SET status = @to_status, used_at = NULL, used_ref = NULL, discount = NULL, funder = NULL
    WHERE c.id = @id AND c.status = @from_status
    RETURNING c.template_id)
UPDATE coupon_templates t SET redeemed_count = redeemed_count - 1 FROM u WHERE t.id = u.template_id;

-- name: UseCoupons :execrows
-- Coupons used by a purchase (ref), each with the discount it gave and who funds it;
-- counted on their templates.
WITH l AS (
    SELECT unnest(@ids::uuid[]) AS id, unnest(@amounts::numeric[]) AS amount, unnest(@funders::text[]) AS funder),
u AS (
    UPDATE coupons c SET status = @to_status, used_at = @used_at::timestamptz, used_ref = @ref::text, discount = l.amount,
        funder = l.funder
    FROM l WHERE c.id = l.id AND c.member_id = @member_id AND c.status = @from_status
    RETURNING c.id, c.template_id)
UPDATE coupon_templates t SET redeemed_count = redeemed_count + x.n
FROM (SELECT template_id, count(*) AS n FROM u GROUP BY template_id) x WHERE t.id = x.template_id;

-- name: CountUsedBy :one
SELECT count(*)::integer FROM coupons WHERE id = ANY(@ids::uuid[]) AND used_ref = @ref::text;

-- name: RestoreCouponsOf :many
-- The coupons a purchase (ref) used and that are still valid, usable again.
UPDATE coupons SET status = @to_status, used_at = NULL, used_ref = NULL, discount = NULL, funder = NULL
WHERE used_ref = @ref::text AND status = @from_status AND valid_until > @now
RETURNING id, template_id;

-- name: UncountRedeemed :exec
UPDATE coupon_templates SET redeemed_count = redeemed_count - 1 WHERE id = @id;
