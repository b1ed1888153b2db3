-- +goose Up
-- Lounge readers: a card reader may be bound to a bookable resource (binding_ref is the
-- booking_resources id); a swipe there redeems the member's booking of the current slot.
ALTER TABLE devices DROP CONSTRAINT devices_binding_kind_check;
ALTER TABLE devices ADD CONSTRAINT devices_binding_kind_check
    CHECK (binding_kind IN ('', 'unit', 'checkpoint', 'entrance', 'resource'));

-- +goose Down
ALTER TABLE devices DROP CONSTRAINT devices_binding_kind_check;
ALTER TABLE devices ADD CONSTRAINT devices_binding_kind_check
    CHECK (binding_kind IN ('', 'unit', 'checkpoint', 'entrance'));
