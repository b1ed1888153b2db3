-- +goose Up
-- Whether a mall's till operations must belong to an open shift (issue 17 point 8: every
-- cash and card operation belongs to a shift). Off by default (a mall starts using shift
-- handover when it is ready): then an operation by a cashier with no open shift is not
-- recorded in any; on: it is refused (SHIFT_NOT_OPEN) and nothing is written.
CREATE TABLE shift_policies (
    group_id        uuid NOT NULL,
    mall_id         uuid NOT NULL,
    require_at_desk  boolean NOT NULL DEFAULT false, -- the mall's service desk
    require_at_tills boolean NOT NULL DEFAULT false, -- its merchants' tills
    updated_at      timestamptz NOT NULL,
    updated_by      uuid NOT NULL,
    PRIMARY KEY (group_id, mall_id)
);

-- +goose Down
DROP TABLE shift_policies;
