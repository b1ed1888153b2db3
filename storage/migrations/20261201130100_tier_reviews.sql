-- +goose Up
-- The tier review sums points earned per member in a window (loyalty.DowngradeTiers).
CREATE INDEX loyalty_points_earned_member_idx ON loyalty_points_earned (member_id, created_at);

-- One tier review per group and UTC day: the members done so far (keyset on member id),
-- so a review stopped by a crash or its timeout continues where it stopped, with the
-- same as-of time, and a finished one is not run again.
CREATE TABLE loyalty_tier_reviews (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    run_on      date NOT NULL,
    as_of       timestamptz NOT NULL,
    after_id    uuid,
    reviewed    bigint NOT NULL DEFAULT 0,
    moved       bigint NOT NULL DEFAULT 0,
    finished_at timestamptz,
    PRIMARY KEY (group_id, run_on)
);

-- +goose Down
DROP TABLE loyalty_tier_reviews;
DROP INDEX loyalty_points_earned_member_idx;
