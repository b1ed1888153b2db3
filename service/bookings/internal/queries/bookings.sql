-- Bookings: their status moves (booked → used | cancelled | no_show, used → booked on
-- a void) are decided by the Go transition table and guarded here by status = @from.

-- name: InsertBooking :exec
INSERT INTO bookings (id, slot_id, member_id, status, created_at) VALUES (@id, @slot_id, @member_id, @status, @created_at);

-- name: Booking :one
SELECT id, slot_id, member_id, status, late_cancel, paid_with, paid_points, paid_amount, created_at
FROM bookings WHERE id = @id;

-- name: MemberBookings :many
-- A page of a member's bookings, newest first (keyset on id, below @before).
SELECT id, slot_id, member_id, status, late_cancel, paid_with, paid_points, paid_amount, created_at
FROM bookings WHERE member_id = @member_id AND id < @before
ORDER BY id DESC LIMIT @max;

-- name: BookingStatusForUpdate :one
SELECT status FROM bookings WHERE id = @id FOR UPDATE;

-- name: SetBookingStatus :execrows
UPDATE bookings SET status = @to_status WHERE id = @id AND status = @from_status;

-- name: BookingToCancel :one
-- A booking with its slot's start and the resource's free-cancellation hours, locked.
SELECT b.member_id, b.slot_id, b.status, s.starts_at, r.free_cancel_hours
FROM bookings b JOIN booking_slots s ON s.id = b.slot_id JOIN booking_resources r ON r.id = s.resource_id
WHERE b.id = @id
FOR UPDATE OF b;

-- name: CancelBooking :execrows
UPDATE bookings SET status = @to_status, cancelled_at = @at, late_cancel = @late
WHERE id = @id AND status = @from_status;

-- name: MarkNoShows :many
-- Moves up to lim bookings of slots that ended by @now from @from_status to
-- @to_status (one batch of the no-show job; the moved ones no longer match, so the
-- next batch takes the next ones).
UPDATE bookings b SET status = @to_status
WHERE b.id IN (
    SELECT x.id FROM bookings x JOIN booking_slots s ON s.id = x.slot_id
    WHERE x.status = @from_status AND s.ends_at <= @now
    ORDER BY x.id LIMIT @lim FOR UPDATE OF x)
    AND b.status = @from_status
RETURNING b.id;

-- name: OpenBookingAt :one
-- The member's booking (open first, else already used) of a resource of a mall whose
-- slot runs at @at, counting from @grace before its start; locked.
SELECT b.id, b.status
FROM bookings b JOIN booking_slots s ON s.id = b.slot_id JOIN booking_resources r ON r.id = s.resource_id
WHERE r.id = @resource_id AND r.mall_id = @mall_id AND b.member_id = @member_id
  AND b.status = ANY(@statuses::text[])
  AND s.starts_at - @grace::interval <= @at AND @at < s.ends_at
ORDER BY b.status = @open_status DESC, s.starts_at
LIMIT 1
FOR UPDATE OF b;

-- name: BookingsStartingBetween :many
-- Booked bookings whose slot starts in (from_at, to_at], for reminders.
SELECT b.id, b.member_id, s.starts_at, r.mall_id, r.name
FROM bookings b JOIN booking_slots s ON s.id = b.slot_id JOIN booking_resources r ON r.id = s.resource_id
WHERE b.status = 'booked' AND s.starts_at > @from_at AND s.starts_at <= @to_at
ORDER BY s.starts_at
LIMIT 5000;
