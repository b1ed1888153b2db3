-- name: CountMemberClaim :one
-- One more claim of the template by the member, within the per-member limit; no row when
-- the member is at the limit.
INSERT INTO coupon_member_claims (template_id, member_id, claimed) VALUES (@template_id, @member_id, 1)
ON CONFLICT (template_id, member_id) DO UPDATE SET claimed = coupon_member_claims.claimed + 1
WHERE coupon_member_claims.claimed < @per_member::integer
RETURNING claimed;

-- name: InsertCoupon :execrows
-- A coupon in slot of its template, if the template is active, not past its fixed
-- validity and has that slot (1..slots), and the slot is free: no row otherwise. The
-- template is only read (no lock), so claims of one template never queue on its row;
-- the unique (template_id, slot) key is what keeps a template from issuing more than
-- its slots.
INSERT INTO coupons (id, template_id, member_id, seq, slot, source, valid_from, valid_until)
SELECT @id, t.id, @member_id, @seq, @slot::integer, @source, @valid_from, @valid_until
FROM coupon_templates t
WHERE t.id = @template_id AND t.status = 'active' AND (t.valid_until IS NULL OR t.valid_until > @now::timestamptz)
    AND @slot::integer BETWEEN 1 AND t.slots
ON CONFLICT (template_id, slot) DO NOTHING;

-- name: ClaimInSlot :one
-- A claim through the gate in one statement: one more claim of the template by the
-- member within the per-member limit (as CountMemberClaim), the coupon in slot (as
-- InsertCoupon) and one more in the issued count's shard (as CountIssued). claimed is 0
-- when the member is at the limit, seq 0 when the template refused the slot (the caller
-- then rolls the transaction back).
WITH m AS (
    INSERT INTO coupon_member_claims (template_id, member_id, claimed) VALUES (@template_id, @member_id, 1)
    ON CONFLICT (template_id, member_id) DO UPDATE SET claimed = coupon_member_claims.claimed + 1
    WHERE coupon_member_claims.claimed < @per_member::integer
    RETURNING claimed),
c AS (
    INSERT INTO coupons (id, template_id, member_id, seq, slot, source, valid_from, valid_until)
    SELECT @id, t.id, @member_id, m.claimed, @slot::integer, @source, @valid_from, @valid_until
    FROM m, coupon_templates t
    WHERE t.id = @template_id AND t.status = 'active' AND (t.valid_until IS NULL OR t.valid_until > @now::timestamptz)
        AND @slot::integer BETWEEN 1 AND t.slots
    ON CONFLICT (template_id, slot) DO NOTHING
    RETURNING seq),
n AS (
    INSERT INTO coupon_issue_counts (mall_id, template_id, shard, issued)
    SELECT @mall_id, @template_id, @shard, 1 FROM c
    ON CONFLICT (mall_id, template_id, shard) DO UPDATE SET issued = coupon_issue_counts.issued + 1
    RETURNING issued)
SELECT coalesce((SELECT claimed FROM m), 0)::integer AS claimed, coalesce((SELECT seq FROM c), 0)::integer AS seq,
    (SELECT count(*) FROM n)::integer AS counted;

-- name: CountIssued :exec
-- One more coupon of a template, in the count's shard.
INSERT INTO coupon_issue_counts (mall_id, template_id, shard, issued) VALUES (@mall_id, @template_id, @shard, 1)
ON CONFLICT (mall_id, template_id, shard) DO UPDATE SET issued = coupon_issue_counts.issued + 1;

-- name: TemplateForUpdate :one
-- A template locked for an issue outside the gate, with its issued count: issues outside
-- the gate queue on it; claims through the gate do not (NO KEY UPDATE leaves their
-- coupons' foreign-key checks free).
SELECT sqlc.embed(t), (SELECT coalesce(sum(n.issued), 0) FROM coupon_issue_counts n
        WHERE n.mall_id = t.mall_id AND n.template_id = t.id)::integer AS issued
FROM coupon_templates t WHERE t.id = @id FOR NO KEY UPDATE OF t;

-- name: FreeSlotBelow :one
-- The highest slot of a template at or below top that holds no coupon (0: none).
SELECT coalesce((SELECT s FROM generate_series(@top::integer, 1, -1) s
    WHERE NOT EXISTS (SELECT 1 FROM coupons c WHERE c.template_id = @template_id AND c.slot = s) LIMIT 1), 0)::integer;

-- name: SetOutsideSlot :exec
UPDATE coupon_templates SET outside_slot = @outside_slot WHERE id = @id;

-- name: TakenSlotRuns :many
-- The runs of consecutive slots of a template that hold coupons, in order (the gate is
-- built from the gaps between them).
SELECT min(slot)::integer AS first, max(slot)::integer AS last
FROM (SELECT slot, slot - row_number() OVER (ORDER BY slot) AS run FROM coupons WHERE template_id = @template_id) x
GROUP BY run ORDER BY 1;

-- name: MemberClaims :many
SELECT member_id, claimed FROM coupon_member_claims WHERE template_id = @template_id;

-- name: TakenRunEnd :one
-- The last slot of the run of consecutive slots holding coupons that starts at slot
-- (slot - 1 when slot holds none).
SELECT (coalesce(max(x.slot + 1), @slot::integer) - 1)::integer AS last
FROM (SELECT c.slot, c.slot - row_number() OVER (ORDER BY c.slot) AS d
    FROM coupons c WHERE c.template_id = @template_id AND c.slot >= @slot::integer) x
WHERE x.d + 1 = @slot::integer;
