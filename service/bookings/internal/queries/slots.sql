-- Time slots of resources, with their seat counters.

-- name: InsertSlot :exec
INSERT INTO booking_slots (id, resource_id, starts_at, ends_at, capacity)
VALUES (@id, @resource_id, @starts_at, @ends_at, @capacity);

-- name: Slot :one
SELECT id, resource_id, starts_at, ends_at, capacity, booked FROM booking_slots WHERE id = @id;

-- name: SlotsOfResource :many
-- The slots of a resource starting in [from, to), by start.
SELECT id, resource_id, starts_at, ends_at, capacity, booked FROM booking_slots
WHERE resource_id = @resource_id AND starts_at >= @from_at AND starts_at < @to_at
ORDER BY starts_at;

-- name: SlotsByID :many
SELECT s.id, s.resource_id, s.starts_at, s.ends_at, s.capacity, s.booked, r.mall_id
FROM booking_slots s JOIN booking_resources r ON r.id = s.resource_id
WHERE s.id = ANY(@ids::uuid[]);

-- name: TakeSeat :one
-- Takes one seat of a slot that has not started, if one is free: the one conditional
-- UPDATE that keeps concurrent bookings from overbooking. No row: full, started or
-- missing (SlotStart tells which).
UPDATE booking_slots s SET booked = s.booked + 1
FROM booking_resources r
WHERE s.id = @slot_id AND r.id = s.resource_id AND s.booked < s.capacity AND s.starts_at > @now
RETURNING r.mall_id, s.starts_at, s.ends_at, r.price_points, r.price_amount;

-- name: SlotStart :one
SELECT starts_at FROM booking_slots WHERE id = @id;

-- name: FreeSeat :exec
UPDATE booking_slots SET booked = booked - 1 WHERE id = @id;
