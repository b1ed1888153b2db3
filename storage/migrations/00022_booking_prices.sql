-- +goose Up
-- Paid bookings: a resource may cost points or stored value (CNY); a booking records
-- what it was paid with and from which card, so a free cancellation can refund it.
ALTER TABLE booking_resources
    ADD COLUMN price_points int NOT NULL DEFAULT 0 CHECK (price_points >= 0),
    ADD COLUMN price_amount numeric(18,2) NOT NULL DEFAULT 0 CHECK (price_amount >= 0);
ALTER TABLE bookings
    ADD COLUMN paid_with   text CHECK (paid_with IN ('points', 'stored_value')),
    ADD COLUMN paid_points int NOT NULL DEFAULT 0,
    ADD COLUMN paid_amount numeric(18,2) NOT NULL DEFAULT 0,
    ADD COLUMN pay_card_id uuid REFERENCES cards(id),
    ADD COLUMN refunded    boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE bookings DROP COLUMN refunded, DROP COLUMN pay_card_id, DROP COLUMN paid_amount,
    DROP COLUMN paid_points, DROP COLUMN paid_with;
ALTER TABLE booking_resources DROP COLUMN price_amount, DROP COLUMN price_points;
