-- +goose Up
-- Members per month (issue 16): registrations, approved exits and restores of a mall's
-- members (by the mall they registered at) per business month and tier, rolled up
-- incrementally like report_card_months: three sources, each read after its own
-- watermark in (time, id) order: members by registered_at, exits by decided_at
-- (approved ones: APPROVED, or RESTORED since) and restores by restored_at.
INSERT INTO report_watermarks (source) VALUES ('members'), ('member_exits'), ('member_restores');

-- The member's tier is the one held when the row was rolled up (uuid.Nil: no tier).
CREATE TABLE report_member_months (
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL,
    month      date NOT NULL,
    tier_id    uuid NOT NULL,
    registered int NOT NULL DEFAULT 0,  -- new members (registered in the month)
    exited     int NOT NULL DEFAULT 0,  -- exits approved in the month (退会)
    restored   int NOT NULL DEFAULT 0,  -- exited members restored in the month
    PRIMARY KEY (group_id, mall_id, month, tier_id)
);

-- Indexes for the incremental reads of the sources (in watermark order).
CREATE INDEX members_registered_at_idx ON members (registered_at, id) WHERE registered_at IS NOT NULL;
CREATE INDEX member_exits_decided_idx ON member_exits (decided_at, id) WHERE decided_at IS NOT NULL;
CREATE INDEX member_exits_restored_idx ON member_exits (restored_at, id) WHERE restored_at IS NOT NULL;

-- +goose Down
DROP INDEX member_exits_restored_idx, member_exits_decided_idx, members_registered_at_idx;
DROP TABLE report_member_months;
DELETE FROM report_watermarks WHERE source IN ('members', 'member_exits', 'member_restores');
