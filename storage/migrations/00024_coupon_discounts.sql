-- +goose Up
-- The discount a coupon actually gave on a purchase (at most its face value), and who
-- funded it, kept on the coupon while it is used; reports sum it as the coupon's cost.
ALTER TABLE coupons
    ADD COLUMN discount numeric(18,2) CHECK (discount >= 0),
    ADD COLUMN funder   text CHECK (funder IN ('mall', 'merchant'));

-- +goose Down
ALTER TABLE coupons DROP COLUMN funder, DROP COLUMN discount;
