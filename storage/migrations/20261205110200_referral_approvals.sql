-- +goose Up
-- Referral (老带新) approvals (issue 17 point 4): a group may hold referral rewards for
-- one or two levels of staff approval; approval pays the held reward through the
-- ledger once (key referral:<referee>), rejection pays nothing. Without a policy
-- (levels 0) a reward is paid at once, as before: existing rows are PAID.
ALTER TABLE loyalty_referrals
    ADD COLUMN status      text NOT NULL DEFAULT 'PAID' CHECK (status IN ('HELD', 'PAID', 'REJECTED')),
    ADD COLUMN group_id    uuid,
    ADD COLUMN mall_id     uuid,
    ADD COLUMN card_id     uuid,
    ADD COLUMN levels      int NOT NULL DEFAULT 0,
    ADD COLUMN approved    int NOT NULL DEFAULT 0;
CREATE INDEX loyalty_referrals_held_idx ON loyalty_referrals (group_id, status, created_at) WHERE status = 'HELD';

CREATE TABLE loyalty_referral_policies (
    group_id        uuid PRIMARY KEY REFERENCES org_groups (id),
    approval_levels int NOT NULL CHECK (approval_levels BETWEEN 0 AND 2)
);

-- Each level's decision on a held referral, by whom.
CREATE TABLE loyalty_referral_decisions (
    group_id   uuid NOT NULL,
    referee_id uuid NOT NULL REFERENCES loyalty_referrals (referee_id),
    level      int NOT NULL CHECK (level BETWEEN 1 AND 2),
    decision   text NOT NULL CHECK (decision IN ('APPROVED', 'REJECTED')),
    staff_id   uuid NOT NULL,
    note       text NOT NULL DEFAULT '',
    decided_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, referee_id, level)
);

-- +goose Down
DROP TABLE loyalty_referral_decisions;
DROP TABLE loyalty_referral_policies;
DROP INDEX loyalty_referrals_held_idx;
ALTER TABLE loyalty_referrals DROP COLUMN status, DROP COLUMN group_id, DROP COLUMN mall_id, DROP COLUMN card_id,
    DROP COLUMN levels, DROP COLUMN approved;
