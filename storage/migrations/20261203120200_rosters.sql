-- +goose Up
-- Rosters (issue 14): who is on duty when, per mall and role. Dispatch assigns work
-- orders only to technicians on shift (in a mall that keeps a roster for the role), and
-- patrol rounds go to the guard on shift at their start. A staff member's shifts never
-- overlap (checked under a per-staff transaction lock).
CREATE TABLE staff_shifts (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL REFERENCES malls (id),
    staff_id   uuid NOT NULL,
    role       text NOT NULL CHECK (role IN ('maintenance', 'security', 'service_desk', 'supervisor')),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    note       text NOT NULL DEFAULT '',
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '24 hours')
);
CREATE INDEX staff_shifts_mall_idx ON staff_shifts (group_id, mall_id, role, starts_at);
CREATE INDEX staff_shifts_staff_idx ON staff_shifts (staff_id, starts_at);

-- +goose Down
DROP TABLE staff_shifts;
