-- +goose Up
-- Who pays for a purchase's coupons: mall_funded is the part of coupon_discount the
-- mall owes the merchant (posted to the coupon_subsidy account with the purchase); the
-- rest was the merchant's own discount. refund_complete marks a purchase whose refund
-- is complete, which for a purchase paid entirely by coupons (payable 0) is the only
-- trace of its refund.
ALTER TABLE loyalty_purchases
    ADD COLUMN mall_funded     numeric(18,2) NOT NULL DEFAULT 0 CHECK (mall_funded >= 0 AND mall_funded <= coupon_discount),
    ADD COLUMN refund_complete boolean NOT NULL DEFAULT false;
UPDATE loyalty_purchases SET refund_complete = true WHERE payable > 0 AND refunded = payable;
-- A refund of a purchase paid entirely by coupons gives no money back (amount 0).
ALTER TABLE loyalty_refunds DROP CONSTRAINT loyalty_refunds_amount_check,
    ADD CONSTRAINT loyalty_refunds_amount_check CHECK (amount >= 0),
    ADD COLUMN coupon_funding numeric(18,2) NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE loyalty_refunds DROP COLUMN coupon_funding, DROP CONSTRAINT loyalty_refunds_amount_check,
    ADD CONSTRAINT loyalty_refunds_amount_check CHECK (amount > 0) NOT VALID;
ALTER TABLE loyalty_purchases DROP COLUMN refund_complete, DROP COLUMN mall_funded;
