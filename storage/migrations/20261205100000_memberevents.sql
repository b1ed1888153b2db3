-- +goose Up
-- Member events (会员活动, issue 17 point 1): events of a mall with a sign-up window and
-- a capacity; sign-ups confirmed while places remain, else wait-listed in order
-- (waitlist_seq from the event's counter, taken under the event's row lock); an optional
-- points deposit held in the ledger (account kind event_deposit, owner = event) at
-- sign-up and returned at check-in or to a wait-listed member never promoted, forfeited
-- by a no-show when staff close the event; check-ins by scanned member codes, each
-- device scan id counted once (mev_scans); sign-ins (签到) at the event.
CREATE TABLE mev_events (
    id               uuid PRIMARY KEY,
    group_id         uuid NOT NULL,
    mall_id          uuid NOT NULL REFERENCES malls (id),
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    place            text NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL CHECK (ends_at > starts_at),
    signup_opens_at  timestamptz NOT NULL,
    signup_closes_at timestamptz NOT NULL CHECK (signup_closes_at > signup_opens_at),
    capacity         integer NOT NULL CHECK (capacity > 0),
    deposit_points   integer NOT NULL DEFAULT 0 CHECK (deposit_points >= 0),
    tier_ids         uuid[] NOT NULL DEFAULT '{}',
    tags             text[] NOT NULL DEFAULT '{}',
    lottery_id       uuid REFERENCES lotteries (id),
    gift_id          uuid REFERENCES gifts (id),
    signin_opens_at  timestamptz,
    signin_closes_at timestamptz,
    signin_repeatable boolean NOT NULL DEFAULT false,
    signin_max_per_day integer NOT NULL DEFAULT 1 CHECK (signin_max_per_day >= 0),
    signin_gap_minutes integer NOT NULL DEFAULT 0 CHECK (signin_gap_minutes >= 0),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    confirmed        integer NOT NULL DEFAULT 0 CHECK (confirmed >= 0 AND confirmed <= capacity),
    waitlist_seq     integer NOT NULL DEFAULT 0,
    created_by       uuid NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    closed_at        timestamptz
);
CREATE INDEX mev_events_mall_idx ON mev_events (group_id, mall_id, starts_at DESC, id);

CREATE TABLE mev_signups (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL REFERENCES malls (id),
    event_id       uuid NOT NULL REFERENCES mev_events (id),
    member_id      uuid NOT NULL REFERENCES members (id),
    status         text NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled', 'checked_in')),
    waitlist_seq   integer,
    card_id        uuid,
    deposit_points integer NOT NULL DEFAULT 0 CHECK (deposit_points >= 0),
    deposit_state  text NOT NULL DEFAULT 'none' CHECK (deposit_state IN ('none', 'held', 'returned', 'forfeited')),
    deposit_pieces jsonb NOT NULL DEFAULT '[]',
    checked_in_at  timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    UNIQUE (group_id, mall_id, event_id, member_id),
    UNIQUE (group_id, mall_id, event_id, waitlist_seq)
);
CREATE INDEX mev_signups_member_idx ON mev_signups (group_id, member_id, created_at DESC);
CREATE INDEX mev_signups_status_idx ON mev_signups (group_id, mall_id, event_id, status, waitlist_seq);

-- Check-in scans: a device's scan id counts once however often it is uploaded.
CREATE TABLE mev_scans (
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL REFERENCES malls (id),
    event_id   uuid NOT NULL REFERENCES mev_events (id),
    scan_id    text NOT NULL CHECK (length(scan_id) BETWEEN 8 AND 64),
    staff_id   uuid NOT NULL,
    device_id  text NOT NULL DEFAULT '',
    member_id  uuid,
    scanned_at timestamptz NOT NULL,
    outcome    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, mall_id, event_id, scan_id)
);

-- Sign-ins (签到) at an event, as the event's sign-in rule allows.
CREATE TABLE mev_signins (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL REFERENCES malls (id),
    event_id   uuid NOT NULL REFERENCES mev_events (id),
    member_id  uuid NOT NULL REFERENCES members (id),
    signed_at  timestamptz NOT NULL
);
CREATE INDEX mev_signins_member_idx ON mev_signins (group_id, mall_id, event_id, member_id, signed_at);

-- +goose Down
DROP TABLE mev_signins;
DROP TABLE mev_scans;
DROP TABLE mev_signups;
DROP TABLE mev_events;
