-- +goose Up
-- Excel exports (issue 16, point 2): one row per export a staff member started; a River
-- job writes the workbook to object storage and keeps rows_done/rows_total up to date.
-- The link is presigned on request (creator or the mall's admins) until expires_at; an
-- expiry job deletes the object and marks the row EXPIRED. read_replica and
-- replica_lag_ms say where the rows were read (point 4).
CREATE TABLE exports (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL REFERENCES malls (id),
    kind           text NOT NULL,
    filter         jsonb NOT NULL DEFAULT '{}',
    status         text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED', 'CANCELLED', 'EXPIRED')),
    created_by     uuid NOT NULL,
    rows_done      bigint NOT NULL DEFAULT 0,
    rows_total     bigint,
    object_key     text,
    file_name      text NOT NULL,
    size_bytes     bigint,
    error          text,
    read_replica   boolean NOT NULL DEFAULT false,
    replica_lag_ms bigint,
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz,
    expires_at     timestamptz
);
CREATE INDEX exports_mall_idx ON exports (group_id, mall_id, id DESC);
CREATE INDEX exports_creator_idx ON exports (created_by, id DESC);
CREATE INDEX exports_expiry_idx ON exports (expires_at) WHERE status = 'DONE';

-- +goose Down
DROP TABLE exports;
