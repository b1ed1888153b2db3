-- +goose Up
-- Alliance merchants (商家联盟, issue 17 point 3): merchants outside the mall's tenants
-- that award the group's points for their own customers' consumption, at a ratio. A
-- mall of the group manages each one. Staff import the merchant's consumption file; each
-- row is claimed once per (merchant, row key), so a re-import never pays twice; every
-- row's points are one ledger posting keyed by the row, and a run is reverted as a whole.
CREATE TABLE alliance_merchants (
    id              uuid PRIMARY KEY,
    group_id        uuid NOT NULL REFERENCES org_groups (id),
    mall_id         uuid NOT NULL REFERENCES malls (id),
    code            text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    contact_name    text NOT NULL DEFAULT '',
    contact_phone   text NOT NULL DEFAULT '',
    -- points = amount / unit_amount * points_per_unit, rounded by rounding to whole points.
    unit_amount     numeric(18,2) NOT NULL CHECK (unit_amount > 0),
    points_per_unit numeric(18,2) NOT NULL CHECK (points_per_unit > 0),
    rounding        text NOT NULL CHECK (rounding IN ('DOWN', 'HALF_UP', 'UP')),
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX alliance_merchants_code_key ON alliance_merchants (group_id, code);
CREATE INDEX alliance_merchants_mall_idx ON alliance_merchants (group_id, mall_id, id);

-- One import of a merchant's file.
CREATE TABLE alliance_runs (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL,
    merchant_id    uuid NOT NULL REFERENCES alliance_merchants (id),
    status         text NOT NULL CHECK (status IN ('IMPORTED', 'REVERTED')),
    format         text NOT NULL,
    rows_read      int NOT NULL DEFAULT 0,
    rows_imported  int NOT NULL DEFAULT 0,
    rows_duplicate int NOT NULL DEFAULT 0,
    rows_failed    int NOT NULL DEFAULT 0,
    amount         numeric(18,2) NOT NULL DEFAULT 0,
    points         numeric(18,2) NOT NULL DEFAULT 0,
    row_errors     jsonb NOT NULL DEFAULT '[]',
    created_by     uuid,
    created_at     timestamptz NOT NULL,
    reverted_by    uuid,
    reverted_at    timestamptz,
    clawed_back    numeric(18,2) NOT NULL DEFAULT 0,
    shortfall      numeric(18,2) NOT NULL DEFAULT 0
);
CREATE INDEX alliance_runs_merchant_idx ON alliance_runs (group_id, merchant_id, id DESC);

-- Every consumption row paid: the claim (merchant, row key) that pays it once.
CREATE TABLE alliance_rows (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    merchant_id uuid NOT NULL REFERENCES alliance_merchants (id),
    row_key     text NOT NULL,
    run_id      uuid NOT NULL REFERENCES alliance_runs (id),
    line        int NOT NULL,
    member_id   uuid NOT NULL,
    card_id     uuid NOT NULL,
    amount      numeric(18,2) NOT NULL,
    points      numeric(18,2) NOT NULL,
    occurred_at timestamptz NOT NULL,
    lot_id      uuid,
    reverted    boolean NOT NULL DEFAULT false,
    clawed_back numeric(18,2) NOT NULL DEFAULT 0,
    shortfall   numeric(18,2) NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX alliance_rows_key ON alliance_rows (group_id, merchant_id, row_key);
CREATE INDEX alliance_rows_run_idx ON alliance_rows (group_id, run_id, id);
CREATE INDEX alliance_rows_month_idx ON alliance_rows (group_id, merchant_id, occurred_at);

-- +goose Down
DROP TABLE alliance_rows;
DROP TABLE alliance_runs;
DROP TABLE alliance_merchants;
