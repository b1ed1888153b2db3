-- +goose Up
-- Coupons used in a loyalty purchase: the discount they gave (after the tier discount,
-- already deducted from payable) and which coupons (consumed under the purchase id).
ALTER TABLE loyalty_purchases
    ADD COLUMN coupon_discount numeric(18,2) NOT NULL DEFAULT 0 CHECK (coupon_discount >= 0),
    ADD COLUMN coupon_ids      uuid[] NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE loyalty_purchases DROP COLUMN coupon_ids, DROP COLUMN coupon_discount;
