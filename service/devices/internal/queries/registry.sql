-- name: InsertDevice :exec
INSERT INTO devices (id, mall_id, type, name, zone, location, binding_kind, binding_ref, password_hash, meter_kind,
    meter_max, created_at)
VALUES (@id, @mall_id, @type, @name, @zone, @location, @binding_kind, @binding_ref, @password_hash,
    sqlc.narg(meter_kind), sqlc.narg(meter_max), @created_at);

-- name: SetDeviceEnabled :exec
UPDATE devices SET enabled = @enabled WHERE id = @id;

-- name: SetDevicePassword :exec
UPDATE devices SET password_hash = @password_hash WHERE id = @id;

-- name: EnabledDevicePassword :one
-- The password hash of an enabled device (a disabled one cannot connect).
SELECT password_hash FROM devices WHERE id = @id AND enabled;

-- name: DeviceByID :one
SELECT id, mall_id, type, name, zone, location, binding_kind, binding_ref, enabled, online, last_seen_at, meter_kind,
    meter_max, created_at
FROM devices WHERE id = @id;

-- name: DevicesOfMall :many
-- A page of a mall's devices after the id after, of one type (type '': any).
SELECT id, mall_id, type, name, zone, location, binding_kind, binding_ref, enabled, online, last_seen_at, meter_kind,
    meter_max, created_at
FROM devices
WHERE mall_id = @mall_id AND (@type::text = '' OR type = @type::text) AND id > @after::text
ORDER BY id LIMIT @lim;

-- name: DevicesByIDs :many
-- The bridge's lookup of a batch's devices, with their mall's code (the topic segment
-- each message must match) in the same query: the ingest path stays one query a batch.
SELECT d.id, d.mall_id, d.type, d.name, d.zone, d.location, d.binding_kind, d.binding_ref, d.enabled, d.online,
    d.last_seen_at, d.meter_kind, d.meter_max, d.created_at, m.code AS mall_code
FROM devices d JOIN malls m ON m.id = d.mall_id
WHERE d.id = ANY(@ids::text[]);

-- name: MetersOfUnits :many
-- A mall's meters of one kind bound to any of the units refs (binding_kind 'unit',
-- binding_ref the unit's code), for billing.
SELECT id, mall_id, type, name, zone, location, binding_kind, binding_ref, enabled, online, last_seen_at, meter_kind,
    meter_max, created_at
FROM devices
WHERE mall_id = @mall_id AND type = 'meter' AND binding_kind = 'unit' AND meter_kind = @meter_kind::text
    AND binding_ref = ANY(@refs::text[])
ORDER BY binding_ref, id;
