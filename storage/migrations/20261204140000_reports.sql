-- +goose Up
-- Reports (issue 16): rollups kept up to date by incremental jobs that read their source
-- rows after a watermark and upsert daily or monthly totals, the watermark advanced in
-- the same transaction as the upsert (rerun-safe). A report reads rollup rows of its
-- range only, so its cost does not grow with the ledger's history.

-- One watermark per source: the last row rolled up, as (last_at, last_key) for sources
-- read in (created_at, id) order or last_seq for the ledger's entries (identity order);
-- as_of is the time up to which every settled source row is in the rollups.
CREATE TABLE report_watermarks (
    source     text PRIMARY KEY,
    last_at    timestamptz NOT NULL DEFAULT '1970-01-01 00:00:00+00',
    last_key   uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    last_seq   bigint NOT NULL DEFAULT 0,
    as_of      timestamptz,
    updated_at timestamptz
);
INSERT INTO report_watermarks (source) VALUES ('card_events'), ('purchases'), ('refunds'), ('ledger_points');

-- Card events per business month (the holder's registration mall; uuid.Nil for none),
-- card type and the holder's tier when the event was rolled up (uuid.Nil: no tier).
CREATE TABLE report_card_months (
    group_id     uuid NOT NULL,
    mall_id      uuid NOT NULL,
    month        date NOT NULL,
    card_type_id uuid NOT NULL,
    tier_id      uuid NOT NULL,
    issued       int NOT NULL DEFAULT 0,  -- new cards (not a reissue's replacement)
    renewed      int NOT NULL DEFAULT 0,  -- reissued (replaced) cards
    cancelled    int NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, mall_id, month, card_type_id, tier_id)
);

-- Purchases (and refunds, on the refund's day and hour) per mall's business day, hour
-- of day and merchant; the merchant's category when rolled up.
CREATE TABLE report_consumption_days (
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    day         date NOT NULL,
    hour        smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    merchant_id uuid NOT NULL,
    category    text NOT NULL,
    purchases   bigint NOT NULL DEFAULT 0,
    amount      numeric(18,2) NOT NULL DEFAULT 0,
    refunds     bigint NOT NULL DEFAULT 0,
    refunded    numeric(18,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, mall_id, day, hour, merchant_id)
);

-- Net points moved into members' cards (available) and into their return window
-- (pending) per business month of a group: cumulative sums give the liability.
CREATE TABLE report_points_months (
    group_id  uuid NOT NULL,
    month     date NOT NULL,
    available numeric(18,2) NOT NULL DEFAULT 0,
    pending   numeric(18,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, month)
);

-- Indexes for the incremental reads of the sources (in watermark order).
CREATE INDEX loyalty_purchases_created_idx ON loyalty_purchases (created_at, id);
CREATE INDEX loyalty_refunds_created_idx ON loyalty_refunds (created_at, id);
CREATE INDEX card_events_at_idx ON card_events (at, id);

-- +goose Down
DROP INDEX card_events_at_idx, loyalty_refunds_created_idx, loyalty_purchases_created_idx;
DROP TABLE report_points_months, report_consumption_days, report_card_months, report_watermarks;
