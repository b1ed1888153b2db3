-- name: InsertReading :one
-- A reading lower than the meter's previous one, with no replacement in between and no
-- plausible rollover (a drop of more than half the counter's range), is kept flagged
-- 'backwards' and left out of consumption.
INSERT INTO meter_readings (device_id, read_at, value, event_id, received_at, flag)
SELECT @device_id::text, @read_at::timestamptz, @value::numeric, @event_id::text, @received_at::timestamptz,
    CASE WHEN p.value > @value::numeric
        AND NOT EXISTS (SELECT 1 FROM meter_replacements r WHERE r.device_id = @device_id::text
            AND r.replaced_at > p.read_at AND r.replaced_at <= @read_at::timestamptz)
        AND NOT (sqlc.narg(meter_max)::numeric IS NOT NULL AND p.value - @value::numeric > sqlc.narg(meter_max)::numeric / 2)
    THEN 'backwards' ELSE '' END
FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT value, read_at FROM meter_readings
    WHERE device_id = @device_id::text AND read_at < @read_at::timestamptz AND flag = '' ORDER BY read_at DESC LIMIT 1) p ON true
RETURNING flag;

-- name: InsertReadings :many
-- InsertReading for many meters in one statement, at most one reading per meter (the
-- readings of one statement do not see each other, so a meter's next reading goes in
-- the next statement). An empty meter_max is no maximum. Returns each meter's flag.
INSERT INTO meter_readings (device_id, read_at, value, event_id, received_at, flag)
SELECT n.device_id, n.read_at, n.value, n.event_id, n.received_at,
    CASE WHEN p.value > n.value
        AND NOT EXISTS (SELECT 1 FROM meter_replacements r WHERE r.device_id = n.device_id
            AND r.replaced_at > p.read_at AND r.replaced_at <= n.read_at)
        AND NOT (n.meter_max <> '' AND p.value - n.value > n.meter_max::numeric / 2)
    THEN 'backwards' ELSE '' END
FROM (SELECT unnest(@device_ids::text[])::text AS device_id, unnest(@read_at::timestamptz[])::timestamptz AS read_at,
        unnest(@vals::numeric[])::numeric AS value, unnest(@event_ids::text[])::text AS event_id,
        unnest(@received_at::timestamptz[])::timestamptz AS received_at, unnest(@meter_max::text[])::text AS meter_max) n
LEFT JOIN LATERAL (SELECT r.value, r.read_at FROM meter_readings r
    WHERE r.device_id = n.device_id AND r.read_at < n.read_at AND r.flag = '' ORDER BY r.read_at DESC LIMIT 1) p ON true
RETURNING device_id, flag;

-- name: ReadingsBetween :many
SELECT device_id, read_at, value, event_id, received_at, flag
FROM meter_readings
WHERE device_id = @device_id AND read_at >= @from_at AND read_at < @to_at
ORDER BY read_at;

-- name: ReadingsSpanning :many
-- The readings in [from, to] with the unflagged neighbours just outside.
SELECT read_at, value FROM meter_readings WHERE device_id = @device_id::text
    AND read_at >= coalesce((SELECT max(read_at) FROM meter_readings WHERE device_id = @device_id::text
        AND read_at <= @from_at::timestamptz AND flag = ''), @from_at::timestamptz)
    AND read_at <= coalesce((SELECT min(read_at) FROM meter_readings WHERE device_id = @device_id::text
        AND read_at >= @to_at::timestamptz AND flag = ''), @to_at::timestamptz);

-- name: LastReadingBy :one
-- The meter's last unflagged reading at or before at.
SELECT value FROM meter_readings WHERE device_id = @device_id AND read_at <= @at AND flag = ''
ORDER BY read_at DESC LIMIT 1;

-- name: SetPartitionBounds :exec
-- The next CreatePartition's table name and bounds, for this transaction only (a DO
-- block takes no parameters).
SELECT set_config('atrium.partition_name', @name::text, true),
       set_config('atrium.partition_from', @from_at::text, true),
       set_config('atrium.partition_to', @to_at::text, true);

-- name: CreatePartition :exec
-- Creates the partition of meter_readings that SetPartitionBounds named, if missing.
DO $$
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF meter_readings FOR VALUES FROM (%L) TO (%L)',
        current_setting('atrium.partition_name'), current_setting('atrium.partition_from'),
        current_setting('atrium.partition_to'));
END $$;
