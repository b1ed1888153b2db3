-- name: TakeStock :one
-- One unit of a template's stock and budget, if it is active, has stock and budget left,
-- is not past its fixed validity, and (for a claim through the gate) the gate epoch is the
-- one the claim was admitted under; outside the gate (epoch NULL) the epoch is bumped so
-- the gate rebuilds.
UPDATE coupon_templates SET claimed_count = claimed_count + 1, budget_used = budget_used + face_value,
    gate_epoch = CASE WHEN sqlc.narg(epoch)::bigint IS NULL THEN gate_epoch + 1 ELSE gate_epoch END
WHERE id = @id AND status = 'active' AND claimed_count < total_stock
    AND (budget_cap IS NULL OR budget_used + face_value <= budget_cap)
    AND (valid_until IS NULL OR valid_until > @now::timestamptz)
    AND (sqlc.narg(epoch)::bigint IS NULL OR gate_epoch = sqlc.narg(epoch)::bigint)
RETURNING *;

-- name: CountMemberClaim :one
-- One more claim of the template by the member, within the per-member limit; no row when
-- the member is at the limit.
INSERT INTO coupon_member_claims (template_id, member_id, claimed) VALUES (@template_id, @member_id, 1)
ON CONFLICT (template_id, member_id) DO UPDATE SET claimed = coupon_member_claims.claimed + 1
WHERE coupon_member_claims.claimed < @per_member::integer
RETURNING claimed;

-- name: TemplateForUpdate :one
SELECT * FROM coupon_templates WHERE id = @id FOR UPDATE;

-- name: SetGateEpoch :exec
UPDATE coupon_templates SET gate_epoch = @gate_epoch WHERE id = @id;

-- name: MemberClaims :many
SELECT member_id, claimed FROM coupon_member_claims WHERE template_id = @template_id;
