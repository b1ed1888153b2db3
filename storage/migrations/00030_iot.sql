-- +goose Up
-- IoT: the device registry, exactly-once event log, dead letters and device alarms.
CREATE TABLE devices (
    id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'), -- also the MQTT username
    mall_id       uuid NOT NULL REFERENCES malls(id),
    type          text NOT NULL CHECK (type IN ('card-reader', 'meter', 'patrol', 'face-camera')),
    name          text NOT NULL DEFAULT '',
    zone          text NOT NULL DEFAULT '',
    location      text NOT NULL DEFAULT '',
    binding_kind  text NOT NULL DEFAULT '' CHECK (binding_kind IN ('', 'unit', 'checkpoint', 'entrance')),
    binding_ref   text NOT NULL DEFAULT '', -- unit id/label, checkpoint tag, entrance name
    password_hash text NOT NULL,
    enabled       boolean NOT NULL DEFAULT true,
    online        boolean NOT NULL DEFAULT false,
    last_seen_at  timestamptz,
    meter_kind    text CHECK (meter_kind IN ('electricity', 'water', 'gas')),
    meter_max     numeric(18,3),            -- counter rolls over after this value
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_mall_idx ON devices (mall_id, type, id);

-- Every processed event, once: a duplicate (device, event id) is refused by the key.
CREATE TABLE iot_events (
    device_id    text NOT NULL REFERENCES devices(id),
    event_id     text NOT NULL,
    kind         text NOT NULL,
    ts           timestamptz NOT NULL,
    outcome      text NOT NULL DEFAULT 'ok',
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, event_id)
);

-- Everything the bridge could not process, with the raw payload and why.
CREATE TABLE dead_letters (
    id          uuid PRIMARY KEY,
    topic       text NOT NULL,
    payload     bytea NOT NULL,
    reason      text NOT NULL,
    device_id   text,
    mall_id     uuid,
    received_at timestamptz NOT NULL
);
CREATE INDEX dead_letters_received_idx ON dead_letters (received_at, id);
CREATE INDEX dead_letters_mall_idx ON dead_letters (mall_id, id);

-- Offline alarms: one open alarm per device at most; cleared when it is back.
CREATE TABLE device_alarms (
    id         uuid PRIMARY KEY,
    device_id  text NOT NULL REFERENCES devices(id),
    mall_id    uuid NOT NULL REFERENCES malls(id),
    kind       text NOT NULL DEFAULT 'offline',
    raised_at  timestamptz NOT NULL,
    cleared_at timestamptz
);
CREATE UNIQUE INDEX device_alarms_open_idx ON device_alarms (device_id, kind) WHERE cleared_at IS NULL;

-- +goose Down
DROP TABLE device_alarms, dead_letters, iot_events, devices;
