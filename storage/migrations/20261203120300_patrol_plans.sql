-- +goose Up
-- Patrol plans (issue 14), on top of routes and scans: a plan schedules rounds of a
-- route at times on weekdays, of every checkpoint or of a random few (chosen from a seed
-- stored with the round, so the choice can be recomputed and shown). A job materialises
-- rounds ahead, unique per (plan, start), with the guard on shift at the start, and
-- checks each round once its last window closed: each checkpoint not scanned in its
-- window is a miss (patrol_misses, the route path's table and hook). Guards report
-- anomalies with photos, each of which opens a work order.
CREATE TABLE patrol_plans (
    id           uuid PRIMARY KEY,
    mall_id      uuid NOT NULL REFERENCES malls (id),
    route_id     uuid NOT NULL REFERENCES patrol_routes (id),
    name         text NOT NULL,
    weekdays     int[] NOT NULL, -- 0 = Sunday
    times        int[] NOT NULL, -- minutes after local midnight
    random_count int NOT NULL DEFAULT 0 CHECK (random_count >= 0), -- 0: every checkpoint
    active       boolean NOT NULL DEFAULT true,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX patrol_plans_mall_idx ON patrol_plans (mall_id) WHERE active;

CREATE TABLE patrol_rounds (
    id         uuid PRIMARY KEY,
    mall_id    uuid NOT NULL REFERENCES malls (id),
    plan_id    uuid NOT NULL REFERENCES patrol_plans (id),
    route_id   uuid NOT NULL REFERENCES patrol_routes (id),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL, -- the last chosen window closes
    seed       bigint NOT NULL,
    seqs       int[] NOT NULL,       -- the route's checkpoints (seq) this round visits
    guard_id   uuid,                 -- the security staff on shift at the start
    shift_id   uuid,
    checked_at timestamptz,          -- misses flagged (once)
    missed     int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    UNIQUE (plan_id, starts_at)
);
CREATE INDEX patrol_rounds_due_idx ON patrol_rounds (ends_at) WHERE checked_at IS NULL;
CREATE INDEX patrol_rounds_mall_idx ON patrol_rounds (mall_id, starts_at);

ALTER TABLE patrol_misses ADD COLUMN round_id uuid REFERENCES patrol_rounds (id);

CREATE TABLE patrol_anomalies (
    id            uuid PRIMARY KEY,
    mall_id       uuid NOT NULL REFERENCES malls (id),
    guard_id      uuid NOT NULL,
    checkpoint_id uuid REFERENCES patrol_checkpoints (id),
    round_id      uuid REFERENCES patrol_rounds (id),
    description   text NOT NULL,
    photos        text[] NOT NULL DEFAULT '{}',
    order_id      uuid NOT NULL, -- the work order it opened
    at            timestamptz NOT NULL
);
CREATE INDEX patrol_anomalies_mall_idx ON patrol_anomalies (mall_id, at);

-- +goose Down
DROP TABLE patrol_anomalies;
ALTER TABLE patrol_misses DROP COLUMN round_id;
DROP TABLE patrol_rounds;
DROP TABLE patrol_plans;
