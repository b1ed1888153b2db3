-- name: TemplateReport :one
-- A template's coupon counts. Coupons used before discounts were recorded count at face
-- value; voided staff redemptions are counted from the redemption context's tables.
SELECT coalesce(sum(coalesce(c.discount, @face_value::numeric)) FILTER (WHERE c.status = 'used'), 0)::numeric AS cost,
    count(*)::integer AS issued,
    (count(*) FILTER (WHERE c.source = 'claim'))::integer AS claimed,
    (count(*) FILTER (WHERE c.status = 'used'))::integer AS redeemed,
    (count(*) FILTER (WHERE c.status = 'issued' AND c.valid_until <= @now))::integer AS expired,
    (SELECT count(*) FROM redemptions x JOIN redemption_codes rc ON rc.id = x.code_id
        JOIN coupons c2 ON rc.kind = 'coupon' AND c2.id = rc.subject_id
        WHERE c2.template_id = @template_id AND x.voided_at IS NOT NULL)::integer AS voided
FROM coupons c WHERE c.template_id = @template_id;
