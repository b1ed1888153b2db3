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

-- name: ReadingHistory :many
-- What the flags of a batch's readings depend on (see InsertReading), per meter of the
-- batch, from its earliest to its latest reading in the batch: the meter's last
-- unflagged reading before the earliest and its unflagged readings from there to before
-- the latest ('reading'), and its replacements after that last reading up to the latest
-- ('replacement', value 0). until is the batch's latest reading: later partitions are
-- left out when the statement is planned.
WITH span AS (
    SELECT n.device_id, min(n.read_at)::timestamptz AS first_at, max(n.read_at)::timestamptz AS last_at
    FROM (SELECT unnest(@device_ids::text[])::text AS device_id, unnest(@read_at::timestamptz[])::timestamptz AS read_at) n
    GROUP BY n.device_id
)
SELECT s.device_id::text AS device_id, h.kind::text AS kind, h.at::timestamptz AS at, h.value::numeric AS value
FROM span s
-- OFFSET 0: the predecessor is looked up once per meter, not once per use.
CROSS JOIN LATERAL (SELECT coalesce((SELECT r.read_at FROM meter_readings r WHERE r.device_id = s.device_id
        AND r.read_at < s.first_at AND r.read_at <= @until::timestamptz AND r.flag = ''
        ORDER BY r.read_at DESC LIMIT 1), '-infinity'::timestamptz) AS since OFFSET 0) b
CROSS JOIN LATERAL (
    SELECT 'reading' AS kind, r.read_at AS at, r.value FROM meter_readings r
    WHERE r.device_id = s.device_id AND r.read_at >= b.since AND r.read_at < s.last_at
        AND r.read_at <= @until::timestamptz AND r.flag = ''
    UNION ALL
    SELECT 'replacement', x.replaced_at, 0 FROM meter_replacements x
    WHERE x.device_id = s.device_id AND x.replaced_at > b.since AND x.replaced_at <= s.last_at) h;

-- name: InsertFlaggedReadings :exec
-- A batch's readings with the flags computed from ReadingHistory, in one statement.
INSERT INTO meter_readings (device_id, read_at, value, event_id, received_at, flag)
SELECT unnest(@device_ids::text[]), unnest(@read_at::timestamptz[]), unnest(@vals::numeric[]),
    unnest(@event_ids::text[]), unnest(@received_at::timestamptz[]), unnest(@flags::text[]);

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

-- name: MeterHistories :many
-- Billing's read of many meters at once: per meter, its readings in [from, to] (flagged
-- ones included: Build decides again) with the unflagged neighbour just outside on each
-- side, and its replacements between those neighbours (kind 'replacement', value the new
-- start).
WITH m AS (SELECT DISTINCT unnest(@device_ids::text[])::text AS device_id),
b AS (
    SELECT m.device_id,
        coalesce((SELECT max(r.read_at) FROM meter_readings r WHERE r.device_id = m.device_id
            AND r.read_at <= @from_at::timestamptz AND r.flag = ''), @from_at::timestamptz)::timestamptz AS lo,
        coalesce((SELECT min(r.read_at) FROM meter_readings r WHERE r.device_id = m.device_id
            AND r.read_at >= @to_at::timestamptz AND r.flag = ''), @to_at::timestamptz)::timestamptz AS hi
    FROM m
)
SELECT b.device_id::text AS device_id, 'reading'::text AS kind, r.read_at::timestamptz AS at, r.value::numeric AS value,
    NULL::numeric AS old_final
FROM b JOIN meter_readings r ON r.device_id = b.device_id AND r.read_at >= b.lo AND r.read_at <= b.hi
UNION ALL
SELECT b.device_id, 'replacement', x.replaced_at, x.new_start, x.old_final
FROM b JOIN meter_replacements x ON x.device_id = b.device_id AND x.replaced_at > b.lo AND x.replaced_at <= b.hi
ORDER BY 1, 3;
