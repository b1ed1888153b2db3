-- name: MustHaveClaimed :exec
-- Fails (division by zero) unless the coupon was written with seq: the guard of a claim done in one
-- implicit transaction (claimFast), so that a refused claim writes nothing.
SELECT 1 / count(*) FROM coupons WHERE id = @id AND seq = @seq::integer;
