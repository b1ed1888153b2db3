-- name: OpenBookingsOfMember :many
-- A member's bookings still to come (caller recognition).
SELECT b.id, b.slot_id, s.resource_id, s.starts_at, s.ends_at, b.status
FROM bookings b JOIN booking_slots s ON s.id = b.slot_id
WHERE b.member_id = @member_id AND b.status = 'booked' AND s.ends_at > @now
ORDER BY s.starts_at LIMIT @lim;
