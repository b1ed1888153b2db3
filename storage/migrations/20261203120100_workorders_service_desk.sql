-- +goose Up
-- Customer service on work orders (issue 14): where an order came in (the tenant app,
-- the mini-program, a phone call or a visit to the desk, a device), the caller a desk
-- ticket is about, and return visits (回访) after closing.
ALTER TABLE wo_orders
    ADD COLUMN channel text NOT NULL DEFAULT 'APP' CHECK (channel IN ('APP', 'MINI_PROGRAM', 'PHONE', 'WALK_IN', 'DEVICE')),
    ADD COLUMN contact text NOT NULL DEFAULT '';
UPDATE wo_orders SET channel = CASE source WHEN 'DEVICE' THEN 'DEVICE' WHEN 'SHOPPER' THEN 'MINI_PROGRAM' ELSE 'APP' END;

-- One return visit per closed order: the requester's satisfaction, asked by the desk.
CREATE TABLE wo_return_visits (
    order_id     uuid PRIMARY KEY REFERENCES wo_orders (id),
    group_id     uuid NOT NULL,
    mall_id      uuid NOT NULL,
    satisfaction smallint NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
    comment      text NOT NULL DEFAULT '',
    by_staff     uuid NOT NULL,
    at           timestamptz NOT NULL
);
-- Closed orders awaiting their visit are found by this index and an anti-join.
CREATE INDEX wo_orders_closed ON wo_orders (group_id, mall_id, id DESC) WHERE status = 'CLOSED';

-- +goose Down
DROP INDEX wo_orders_closed;
DROP TABLE wo_return_visits;
ALTER TABLE wo_orders DROP COLUMN contact, DROP COLUMN channel;
