-- +goose Up
-- Patrol: checkpoints (tags) at places, routes of ordered checkpoints with time windows
-- per round, scans, and missed checkpoints flagged by a job.
CREATE TABLE patrol_checkpoints (
    id      uuid PRIMARY KEY,
    mall_id uuid NOT NULL REFERENCES malls(id),
    tag     text NOT NULL,
    place   text NOT NULL,
    UNIQUE (mall_id, tag)
);

CREATE TABLE patrol_routes (
    id           uuid PRIMARY KEY,
    mall_id      uuid NOT NULL REFERENCES malls(id),
    name         text NOT NULL,
    round_starts int[] NOT NULL, -- minutes after local midnight at which a round starts
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now() -- rounds before it are not checked
);

CREATE TABLE patrol_route_points (
    route_id      uuid NOT NULL REFERENCES patrol_routes(id) ON DELETE CASCADE,
    seq           int NOT NULL,
    checkpoint_id uuid NOT NULL REFERENCES patrol_checkpoints(id),
    from_min      int NOT NULL CHECK (from_min >= 0), -- window after the round start
    to_min        int NOT NULL CHECK (to_min > from_min),
    PRIMARY KEY (route_id, seq)
);

CREATE TABLE patrol_scans (
    id            uuid PRIMARY KEY,
    mall_id       uuid NOT NULL REFERENCES malls(id),
    device_id     text NOT NULL REFERENCES devices(id),
    badge         text NOT NULL,
    tag           text NOT NULL,
    checkpoint_id uuid REFERENCES patrol_checkpoints(id), -- NULL: unknown tag
    at            timestamptz NOT NULL
);
CREATE INDEX patrol_scans_checkpoint_idx ON patrol_scans (checkpoint_id, at);

CREATE TABLE patrol_misses (
    id            uuid PRIMARY KEY,
    mall_id       uuid NOT NULL REFERENCES malls(id),
    route_id      uuid NOT NULL REFERENCES patrol_routes(id) ON DELETE CASCADE,
    round_start   timestamptz NOT NULL,
    seq           int NOT NULL,
    checkpoint_id uuid NOT NULL REFERENCES patrol_checkpoints(id),
    due_by        timestamptz NOT NULL,
    flagged_at    timestamptz NOT NULL,
    UNIQUE (route_id, round_start, seq)
);
CREATE INDEX patrol_misses_mall_idx ON patrol_misses (mall_id, round_start);

-- +goose Down
DROP TABLE patrol_misses, patrol_scans, patrol_route_points, patrol_routes, patrol_checkpoints;
