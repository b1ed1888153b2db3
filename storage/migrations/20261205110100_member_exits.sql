-- +goose Up
-- Member exit (退会, issue 17 point 4): applied for by the member or staff, approved or
-- rejected by staff, restorable within the group's window. While exited, the member's
-- status is 'exited' (no login) and the cards the exit froze stay frozen.
CREATE TABLE member_exits (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL,
    member_id      uuid NOT NULL REFERENCES members (id),
    status         text NOT NULL CHECK (status IN ('APPLIED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'RESTORED')),
    reason         text NOT NULL DEFAULT '',
    applied_by     text NOT NULL,
    applied_at     timestamptz NOT NULL,
    decided_by     uuid,
    decided_at     timestamptz,
    decision_note  text NOT NULL DEFAULT '',
    frozen_cards   uuid[] NOT NULL DEFAULT '{}',
    restored_by    uuid,
    restored_at    timestamptz
);
-- At most one open (applied or approved) exit per member.
CREATE UNIQUE INDEX member_exits_open_key ON member_exits (group_id, member_id) WHERE status IN ('APPLIED', 'APPROVED');
CREATE INDEX member_exits_group_idx ON member_exits (group_id, status, id DESC);

-- The group's exit policy: how many days after approval a member may be restored.
CREATE TABLE member_exit_policies (
    group_id     uuid PRIMARY KEY REFERENCES org_groups (id),
    restore_days int NOT NULL CHECK (restore_days BETWEEN 0 AND 3650)
);

-- +goose Down
DROP TABLE member_exit_policies;
DROP TABLE member_exits;
