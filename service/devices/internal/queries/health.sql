-- name: SetDeviceOnline :exec
-- A device's status message: online moves last_seen_at forward, offline keeps it.
UPDATE devices SET online = @online::boolean,
    last_seen_at = CASE WHEN @online::boolean THEN greatest(last_seen_at, @at::timestamptz) ELSE last_seen_at END
WHERE id = @id;

-- name: ClearOfflineAlarm :exec
UPDATE device_alarms SET cleared_at = @at::timestamptz
WHERE device_id = @device_id AND kind = 'offline' AND cleared_at IS NULL;

-- name: ClearReturnedAlarms :many
-- Clears the open alarms of devices seen online since the alarm was raised; returns them.
UPDATE device_alarms a SET cleared_at = @now::timestamptz FROM devices d
WHERE a.device_id = d.id AND a.cleared_at IS NULL AND d.online AND d.last_seen_at > a.raised_at
RETURNING a.id, a.device_id, a.mall_id, a.raised_at, a.cleared_at;

-- name: MarkSilentOffline :exec
-- Locks the rows in id order, like the bridge's batches, so the two never deadlock.
UPDATE devices SET online = false
WHERE id IN (SELECT id FROM devices WHERE enabled AND online
        AND (last_seen_at IS NULL OR last_seen_at < @silent_since::timestamptz)
    ORDER BY id FOR NO KEY UPDATE)
    AND online AND (last_seen_at IS NULL OR last_seen_at < @silent_since::timestamptz);

-- name: RaiseOfflineAlarms :many
-- One open offline alarm per enabled offline device silent since silent_since (the
-- partial unique index keeps at most one open alarm a device); returns those raised.
INSERT INTO device_alarms (id, device_id, mall_id, raised_at)
SELECT gen_random_uuid(), id, mall_id, @now FROM devices
WHERE enabled AND NOT online AND (last_seen_at IS NULL OR last_seen_at < @silent_since::timestamptz)
ON CONFLICT (device_id, kind) WHERE cleared_at IS NULL DO NOTHING
RETURNING id, device_id, mall_id, raised_at, cleared_at;

-- name: OpenAlarmsOfMall :many
SELECT id, device_id, mall_id, raised_at, cleared_at FROM device_alarms
WHERE mall_id = @mall_id AND cleared_at IS NULL ORDER BY raised_at, id;
