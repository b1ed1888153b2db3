-- +goose Up
-- Work orders (issue 14): the property-services desk. Every table leads with group_id and
-- mall_id. The SLA itself is never stored: it is computed from the timeline (events and
-- pauses) by service/workorders/sla, against the mall's calendar and policy below.

-- A mall's business calendar exists once the first order (or an admin) touches it; the
-- row is the marker that its hours and holidays were seeded (so edits are never re-seeded).
CREATE TABLE wo_calendars (
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, mall_id)
);

-- Weekly hours: open intervals per weekday (0 = Sunday), seconds after civil midnight.
CREATE TABLE wo_calendar_hours (
    group_id uuid NOT NULL,
    mall_id  uuid NOT NULL,
    weekday  smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    from_sec integer NOT NULL CHECK (from_sec BETWEEN 0 AND 86400),
    to_sec   integer NOT NULL CHECK (to_sec BETWEEN 0 AND 86400 AND to_sec > from_sec),
    PRIMARY KEY (group_id, mall_id, weekday, from_sec)
);

-- The editable holiday table: statutory days off and make-up working days (调休).
CREATE TABLE wo_holidays (
    group_id uuid NOT NULL,
    mall_id  uuid NOT NULL,
    day      date NOT NULL,
    name     text NOT NULL DEFAULT '',
    kind     text NOT NULL CHECK (kind IN ('off', 'work')),
    PRIMARY KEY (group_id, mall_id, day)
);

-- SLA targets per category × priority; category '*' is the mall's default.
CREATE TABLE wo_sla_policies (
    group_id         uuid NOT NULL,
    mall_id          uuid NOT NULL,
    category         text NOT NULL,
    priority         text NOT NULL CHECK (priority IN ('URGENT', 'NORMAL', 'LOW')),
    response_secs    integer NOT NULL CHECK (response_secs > 0),
    resolution_secs  integer NOT NULL CHECK (resolution_secs > 0),
    around_the_clock boolean NOT NULL DEFAULT false,
    PRIMARY KEY (group_id, mall_id, category, priority)
);

-- Technicians' skills (categories) and zones, for dispatch.
CREATE TABLE wo_technicians (
    group_id uuid NOT NULL,
    mall_id  uuid NOT NULL,
    staff_id uuid NOT NULL,
    skills   text[] NOT NULL DEFAULT '{}',
    zones    text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (group_id, mall_id, staff_id)
);

CREATE TABLE wo_counters (
    group_id uuid NOT NULL,
    mall_id  uuid NOT NULL,
    last     bigint NOT NULL,
    PRIMARY KEY (group_id, mall_id)
);

CREATE TABLE wo_orders (
    id                 uuid PRIMARY KEY,
    group_id           uuid NOT NULL,
    mall_id            uuid NOT NULL,
    number             bigint NOT NULL,
    category           text NOT NULL,
    priority           text NOT NULL CHECK (priority IN ('URGENT', 'NORMAL', 'LOW')),
    source             text NOT NULL CHECK (source IN ('TENANT', 'SHOPPER', 'STAFF', 'DEVICE')),
    requester_staff    uuid,
    requester_merchant uuid,
    requester_member   uuid,
    unit_id            uuid,
    zone               text NOT NULL DEFAULT '',
    description        text NOT NULL,
    photos             text[] NOT NULL DEFAULT '{}',
    status             text NOT NULL CHECK (status IN ('OPEN', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'WAITING',
                                                        'RESOLVED', 'CLOSED', 'CANCELLED')),
    assignee           uuid,
    opened_at          timestamptz NOT NULL,
    responded_at       timestamptz,
    resolved_at        timestamptz,
    closed_at          timestamptz,
    rating             smallint CHECK (rating BETWEEN 1 AND 5),
    follow_up_of       uuid REFERENCES wo_orders (id),
    alarm_source       text,
    alarm_kind         text,
    repeat_count       integer NOT NULL DEFAULT 1,
    alarm_cleared_at   timestamptz,
    updated_at         timestamptz NOT NULL,
    CHECK ((alarm_source IS NULL) = (alarm_kind IS NULL)),
    UNIQUE (group_id, mall_id, number)
);
CREATE INDEX wo_orders_mall ON wo_orders (group_id, mall_id, id DESC);
CREATE INDEX wo_orders_assignee ON wo_orders (group_id, mall_id, assignee) WHERE status IN ('ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'WAITING');
CREATE INDEX wo_orders_merchant ON wo_orders (requester_merchant, id DESC) WHERE requester_merchant IS NOT NULL;
CREATE INDEX wo_orders_member ON wo_orders (requester_member, id DESC) WHERE requester_member IS NOT NULL;
-- One open order per (device or checkpoint, alarm kind): repeats upsert into it.
CREATE UNIQUE INDEX wo_orders_open_alarm ON wo_orders (group_id, mall_id, alarm_source, alarm_kind)
    WHERE alarm_source IS NOT NULL AND status IN ('OPEN', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'WAITING');

-- History: every transition and note, with who did it. priority is set on raise and on a
-- priority change (the SLA timeline reads it).
CREATE TABLE wo_events (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    order_id    uuid NOT NULL REFERENCES wo_orders (id),
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    kind        text NOT NULL,
    from_status text NOT NULL DEFAULT '',
    to_status   text NOT NULL DEFAULT '',
    priority    text,
    note        text NOT NULL DEFAULT ''
);
CREATE INDEX wo_events_order ON wo_events (group_id, mall_id, order_id, at);

-- Explicit pause segments (waiting for the tenant or for parts); at most one open.
CREATE TABLE wo_pauses (
    id        uuid PRIMARY KEY,
    group_id  uuid NOT NULL,
    mall_id   uuid NOT NULL,
    order_id  uuid NOT NULL REFERENCES wo_orders (id),
    reason    text NOT NULL CHECK (reason IN ('TENANT', 'PARTS')),
    from_at   timestamptz NOT NULL,
    to_at     timestamptz,
    note      text NOT NULL DEFAULT ''
);
CREATE INDEX wo_pauses_order ON wo_pauses (group_id, mall_id, order_id, from_at);
CREATE UNIQUE INDEX wo_pauses_open ON wo_pauses (order_id) WHERE to_at IS NULL;

-- Escalations: once per (order, clock, level), whoever runs the check.
CREATE TABLE wo_escalations (
    group_id  uuid NOT NULL,
    mall_id   uuid NOT NULL,
    order_id  uuid NOT NULL REFERENCES wo_orders (id),
    clock     text NOT NULL CHECK (clock IN ('RESPONSE', 'RESOLUTION')),
    level     smallint NOT NULL CHECK (level IN (1, 2)),
    state     text NOT NULL CHECK (state IN ('WARNING', 'BREACHED')),
    to_role   text NOT NULL,
    due_at    timestamptz NOT NULL,
    at        timestamptz NOT NULL,
    PRIMARY KEY (group_id, mall_id, order_id, clock, level)
);

-- +goose Down
DROP TABLE wo_escalations;
DROP TABLE wo_pauses;
DROP TABLE wo_events;
DROP TABLE wo_orders;
DROP TABLE wo_counters;
DROP TABLE wo_technicians;
DROP TABLE wo_sla_policies;
DROP TABLE wo_holidays;
DROP TABLE wo_calendar_hours;
DROP TABLE wo_calendars;
