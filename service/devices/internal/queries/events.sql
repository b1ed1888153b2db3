-- name: ClaimEvent :execrows
-- Claims (device, event id) for processing: 0 rows when it was processed before.
INSERT INTO iot_events (device_id, event_id, kind, ts, processed_at)
VALUES (@device_id, @event_id, @kind, @ts, @processed_at) ON CONFLICT DO NOTHING;

-- name: SetEventOutcome :exec
UPDATE iot_events SET outcome = @outcome WHERE device_id = @device_id AND event_id = @event_id;

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
