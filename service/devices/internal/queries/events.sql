-- name: ClaimEvent :execrows
-- Claims (device, event id) for processing: 0 rows when it was claimed before (within
-- the de-duplication window the claims are kept for), else the claim and the event's
-- row in the monthly log, in one statement.
WITH claim AS (
    INSERT INTO iot_event_claims (device_id, event_id, claimed_at)
    VALUES (@device_id, @event_id, @processed_at) ON CONFLICT DO NOTHING
    RETURNING device_id, event_id, claimed_at
)
INSERT INTO iot_events (device_id, event_id, kind, ts, processed_at)
SELECT claim.device_id, claim.event_id, @kind, @ts, claim.claimed_at FROM claim;

-- name: ClaimEvents :many
-- ClaimEvent for a whole batch in one statement (the pairs must be distinct): returns
-- the pairs claimed now, whose rows in the event log are written; a pair claimed before
-- is left out (a duplicate: no second effect). Claims are inserted in key order, so two
-- bridges claiming overlapping batches take the key locks in one order.
WITH input AS (
    SELECT unnest(@device_ids::text[])::text AS device_id, unnest(@event_ids::text[])::text AS event_id,
        unnest(@kinds::text[])::text AS kind, unnest(@ts::timestamptz[])::timestamptz AS ts,
        unnest(@processed_at::timestamptz[])::timestamptz AS processed_at
), claim AS (
    INSERT INTO iot_event_claims (device_id, event_id, claimed_at)
    SELECT i.device_id, i.event_id, i.processed_at FROM input i ORDER BY i.device_id, i.event_id
    ON CONFLICT DO NOTHING
    RETURNING device_id, event_id, claimed_at
), logged AS (
    INSERT INTO iot_events (device_id, event_id, kind, ts, processed_at)
    SELECT c.device_id, c.event_id, i.kind, i.ts, c.claimed_at
    FROM claim c JOIN input i ON i.device_id = c.device_id AND i.event_id = c.event_id
    RETURNING device_id, event_id
)
SELECT l.device_id, l.event_id FROM logged l;

-- name: SetEventOutcomes :exec
-- SetEventOutcome for many events in one statement.
UPDATE iot_events e SET outcome = u.outcome
FROM (SELECT unnest(@device_ids::text[])::text AS device_id, unnest(@event_ids::text[])::text AS event_id,
        unnest(@outcomes::text[])::text AS outcome) u,
    iot_event_claims c
WHERE c.device_id = u.device_id AND c.event_id = u.event_id
    AND e.device_id = u.device_id AND e.event_id = u.event_id AND e.processed_at = c.claimed_at;

-- name: SetEventOutcome :exec
-- The claim's time names the event's month, so only that partition is searched.
UPDATE iot_events e SET outcome = @outcome
WHERE e.device_id = @device_id AND e.event_id = @event_id
    AND e.processed_at = (SELECT c.claimed_at FROM iot_event_claims c WHERE c.device_id = @device_id AND c.event_id = @event_id);

-- name: EventPartitions :many
-- The monthly partitions of iot_events (iot_events_YYYYMM), the default one left out.
SELECT c.relname::text AS name FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'iot_events'::regclass AND c.relname ~ '^iot_events_[0-9]{6}$' ORDER BY c.relname;

-- name: SetEventPartition :exec
-- The next CreateEventPartition's or DropEventPartition's table name and bounds, for
-- this transaction only (a DO block takes no parameters).
SELECT set_config('atrium.partition_name', @name::text, true),
       set_config('atrium.partition_from', @from_at::text, true),
       set_config('atrium.partition_to', @to_at::text, true);

-- name: CreateEventPartition :exec
-- Creates the partition of iot_events that SetEventPartition named, if missing. Rows of
-- its month that landed in the default partition meanwhile (the job had not run) are
-- moved into it; otherwise PostgreSQL would refuse the new partition.
DO $$
DECLARE
    name text := current_setting('atrium.partition_name');
    f timestamptz := current_setting('atrium.partition_from')::timestamptz;
    t timestamptz := current_setting('atrium.partition_to')::timestamptz;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_class WHERE relname = name) THEN
        RETURN;
    END IF;
    CREATE TEMP TABLE iot_events_moving ON COMMIT DROP AS
        SELECT * FROM iot_events_default WHERE processed_at >= f AND processed_at < t;
    DELETE FROM iot_events_default WHERE processed_at >= f AND processed_at < t;
    EXECUTE format('CREATE TABLE %I PARTITION OF iot_events FOR VALUES FROM (%L) TO (%L)', name, f, t);
    INSERT INTO iot_events SELECT * FROM iot_events_moving;
    DROP TABLE iot_events_moving;
END $$;

-- name: DropEventPartition :exec
-- Drops the partition of iot_events that SetEventPartition named (a whole month), if
-- it is still one of iot_events' monthly partitions.
DO $$
BEGIN
    IF current_setting('atrium.partition_name') ~ '^iot_events_[0-9]{6}$' AND EXISTS (
        SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'iot_events'::regclass AND c.relname = current_setting('atrium.partition_name')) THEN
        EXECUTE format('DROP TABLE %I', current_setting('atrium.partition_name'));
    END IF;
END $$;

-- name: DeleteOldDefaultEvents :execrows
-- Rows older than the retention that landed in the default partition (the monthly
-- partitions before the cutoff are dropped whole first, so only the default is read).
DELETE FROM iot_events WHERE processed_at < @cutoff;

-- name: PurgeEventClaims :execrows
-- Up to lim claims older than the de-duplication window.
DELETE FROM iot_event_claims d WHERE (d.device_id, d.event_id) IN (
    SELECT o.device_id, o.event_id FROM iot_event_claims o WHERE o.claimed_at < @cutoff::timestamptz LIMIT @lim);

-- name: TouchDevices :exec
-- Marks devices seen (and online) at at. It runs last in a batch's transaction and
-- never waits: it takes NO KEY UPDATE locks (which do not conflict with the KEY SHARE
-- locks that inserting iot_events takes on the device rows) and skips the rows another
-- transaction holds (that one is marking the device seen at about the same time), so
-- two bridges' batches over the same devices cannot deadlock. A device already online
-- and seen at or after at is left alone.
UPDATE devices SET last_seen_at = greatest(last_seen_at, @at::timestamptz), online = true
WHERE id IN (SELECT id FROM devices WHERE id = ANY(@ids::text[])
        AND (NOT online OR last_seen_at IS NULL OR last_seen_at < @at::timestamptz)
    ORDER BY id FOR NO KEY UPDATE SKIP LOCKED);

-- name: LockDevices :exec
-- Takes NO KEY UPDATE locks on devices in id order: a batch with status events takes
-- those devices' rows first, before any other lock, so two batches wait for each
-- other in one order and never deadlock.
SELECT id FROM devices WHERE id = ANY(@ids::text[]) ORDER BY id FOR NO KEY UPDATE;

-- name: InsertDeadLetters :copyfrom
INSERT INTO dead_letters (id, topic, payload, reason, device_id, mall_id, received_at)
VALUES (@id, @topic, @payload, @reason, @device_id, @mall_id, @received_at);

-- name: DeadLettersOfMall :many
SELECT id, topic, payload, reason, coalesce(device_id, '')::text AS device_id, mall_id, received_at
FROM dead_letters WHERE mall_id = @mall_id::uuid AND id > @after ORDER BY id LIMIT @lim;
