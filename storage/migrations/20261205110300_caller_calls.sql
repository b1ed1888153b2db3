-- +goose Up
-- Caller recognition (来电管理, issue 17 point 9): every call the desk's telephone system
-- reports is logged with the member it matched (if any); staff add a note and outcome.
CREATE TABLE caller_calls (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL REFERENCES malls (id),
    phone      text NOT NULL,
    member_id  uuid,
    staff_id   uuid,
    outcome    text NOT NULL DEFAULT 'OPEN' CHECK (outcome IN ('OPEN', 'RESOLVED', 'FOLLOW_UP', 'MISSED')),
    note       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX caller_calls_mall_idx ON caller_calls (group_id, mall_id, id DESC);
CREATE INDEX caller_calls_member_idx ON caller_calls (group_id, member_id, id DESC);

-- +goose Down
DROP TABLE caller_calls;
