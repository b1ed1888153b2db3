-- +goose Up
-- The MQTT client ids under which bridge replicas hold (or held) a persistent session at
-- an external broker; a live replica holds its client id by a session advisory lock, and
-- a survivor drains and drops the session of an id no replica holds (docs/mqtt.md).
CREATE TABLE mqtt_bridge_sessions (
    client_id text PRIMARY KEY,
    held_at   timestamptz NOT NULL DEFAULT now(),
    drained   boolean NOT NULL DEFAULT false -- its session was drained and dropped
);

-- +goose Down
DROP TABLE mqtt_bridge_sessions;
