-- name: MallUtilisation :many
-- A mall's slots starting in [from_at, to_at) per resource and business day (in tz):
-- slots, seats offered, seats booked (open or used; a cancellation frees its seat) and
-- bookings checked in (used). Read through the slots' (resource_id, starts_at) key, so
-- its cost is the period's slots, not the history's.
SELECT r.id AS resource_id, r.name, r.kind, (s.starts_at AT TIME ZONE @tz::text)::date AS day,
    count(*)::bigint AS slots, sum(s.capacity)::bigint AS capacity, sum(s.booked)::bigint AS booked,
    coalesce(sum(u.used), 0)::bigint AS checked_in
FROM booking_resources r
JOIN booking_slots s ON s.resource_id = r.id AND s.starts_at >= @from_at::timestamptz AND s.starts_at < @to_at::timestamptz
CROSS JOIN LATERAL (SELECT count(*) AS used FROM bookings b WHERE b.slot_id = s.id AND b.status = 'used') u
WHERE r.mall_id = @mall_id
GROUP BY r.id, r.name, r.kind, 4
ORDER BY r.name, r.id, 4;
