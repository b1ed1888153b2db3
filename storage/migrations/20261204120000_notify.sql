-- +goose Up
-- Notifications that reach people (issue 16 point 3). An event is written to the outbox
-- (notify_events) in the same transaction as what caused it; the dispatcher expands it
-- into one delivery per (event, channel, recipient) — unique, so an event is delivered
-- at most once per channel however often jobs rerun and however many instances race —
-- and the channel workers claim due deliveries with SKIP LOCKED and a conditional
-- update. Grants, preferences, the SMS daily count and group messages live beside them.
CREATE TABLE notify_events (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL REFERENCES malls (id),
    kind           text NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
    recipient_kind text NOT NULL CHECK (recipient_kind IN ('member', 'staff', 'tenant')),
    recipient_id   uuid NOT NULL,
    payload        jsonb NOT NULL DEFAULT '{}',
    dedupe_key     text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 300),
    broadcast_id   uuid,
    created_at     timestamptz NOT NULL,
    dispatched_at  timestamptz
);
CREATE UNIQUE INDEX notify_events_dedupe_idx ON notify_events (group_id, dedupe_key);
CREATE INDEX notify_events_undispatched_idx ON notify_events (created_at) WHERE dispatched_at IS NULL;

CREATE TABLE notify_deliveries (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL,
    event_id       uuid NOT NULL REFERENCES notify_events (id),
    kind           text NOT NULL,
    channel        text NOT NULL CHECK (channel IN ('in_app', 'wechat', 'sms')),
    recipient_kind text NOT NULL,
    recipient_id   uuid NOT NULL,
    status         text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts       int NOT NULL DEFAULT 0,
    next_at        timestamptz NOT NULL,
    claimed_by     text NOT NULL DEFAULT '',
    claimed_until  timestamptz,
    error_code     text NOT NULL DEFAULT '',
    last_error     text NOT NULL DEFAULT '',
    provider_ref   text NOT NULL DEFAULT '',
    fallback_of    uuid,
    sent_at        timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX notify_deliveries_once_idx ON notify_deliveries (group_id, event_id, channel, recipient_kind, recipient_id);
CREATE INDEX notify_deliveries_due_idx ON notify_deliveries (channel, next_at) WHERE status IN ('pending', 'sending');
CREATE INDEX notify_deliveries_log_idx ON notify_deliveries (group_id, mall_id, id DESC);

-- One-time subscription grants (一次性订阅) the mini-program reported, per member and
-- template; a WeChat send consumes one, none left: no send.
CREATE TABLE notify_grants (
    group_id    uuid NOT NULL,
    member_id   uuid NOT NULL,
    template_id text NOT NULL,
    remaining   int NOT NULL CHECK (remaining >= 0),
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (group_id, member_id, template_id)
);

-- A member's choice per channel × event kind ('group_message' for 群发); no row: on.
CREATE TABLE notify_preferences (
    group_id   uuid NOT NULL,
    member_id  uuid NOT NULL,
    channel    text NOT NULL CHECK (channel IN ('in_app', 'wechat', 'sms')),
    kind       text NOT NULL,
    enabled    boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, member_id, channel, kind)
);

-- SMS sent per mall and day (the mall's time zone), against the daily cap.
CREATE TABLE notify_sms_daily (
    group_id uuid NOT NULL,
    mall_id  uuid NOT NULL,
    day      date NOT NULL,
    sent     int NOT NULL CHECK (sent >= 0),
    PRIMARY KEY (group_id, mall_id, day)
);

-- The in-app inbox of people (members, staff, tenants) addressed one by one.
CREATE TABLE notify_inbox (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL,
    event_id       uuid NOT NULL REFERENCES notify_events (id),
    recipient_kind text NOT NULL,
    recipient_id   uuid NOT NULL,
    kind           text NOT NULL,
    title          text NOT NULL,
    body           text NOT NULL,
    created_at     timestamptz NOT NULL,
    read_at        timestamptz
);
CREATE UNIQUE INDEX notify_inbox_once_idx ON notify_inbox (group_id, event_id, recipient_kind, recipient_id);
CREATE INDEX notify_inbox_recipient_idx ON notify_inbox (recipient_kind, recipient_id, id DESC);

-- Group messages (群发) to a segment of a mall's members.
CREATE TABLE notify_broadcasts (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL REFERENCES malls (id),
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 40),
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 500),
    segment    jsonb NOT NULL,
    matched    int NOT NULL,
    opted_out  int NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX notify_broadcasts_mall_idx ON notify_broadcasts (group_id, mall_id, created_at DESC);

-- +goose Down
DROP TABLE notify_broadcasts;
DROP TABLE notify_inbox;
DROP TABLE notify_sms_daily;
DROP TABLE notify_preferences;
DROP TABLE notify_grants;
DROP TABLE notify_deliveries;
DROP TABLE notify_events;
