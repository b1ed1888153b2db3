-- +goose Up
-- Fixed assets (issue 15, 资产管理): the register, transfers, use of units-of-use assets,
-- the depreciation lines posted to the ledger (one per asset and month, never changed),
-- stocktakes (盘点) with their offline scans, and maintenance plans with the work orders
-- they opened. Money is bigint fen. Owner: service/assets.
CREATE TABLE asset_categories (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL REFERENCES malls (id),
    code        text NOT NULL,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (group_id, mall_id, code)
);

CREATE TABLE assets (
    id                  uuid PRIMARY KEY,
    group_id            uuid NOT NULL,
    mall_id             uuid NOT NULL REFERENCES malls (id),
    tag                 text NOT NULL,
    name                text NOT NULL,
    category_id         uuid NOT NULL REFERENCES asset_categories (id),
    location_kind       text NOT NULL CHECK (location_kind IN ('UNIT', 'ZONE')),
    location_ref        text NOT NULL,
    custodian_id        uuid,
    supplier            text NOT NULL DEFAULT '',
    invoice_key         text NOT NULL DEFAULT '',
    acquired_on         date NOT NULL,
    in_service_on       date NOT NULL,
    cost                bigint NOT NULL CHECK (cost >= 0),
    salvage             bigint NOT NULL CHECK (salvage >= 0 AND salvage <= cost),
    life_months         integer NOT NULL CHECK (life_months BETWEEN 1 AND 1200),
    method              text NOT NULL CHECK (method IN ('STRAIGHT_LINE', 'DECLINING_BALANCE', 'DOUBLE_DECLINING', 'UNITS_OF_USE')),
    factor_pct          integer NOT NULL DEFAULT 0,
    total_units         bigint NOT NULL DEFAULT 0,
    opening_on          date,
    opening_accumulated bigint NOT NULL DEFAULT 0,
    opening_units       bigint NOT NULL DEFAULT 0,
    status              text NOT NULL CHECK (status IN ('ACTIVE', 'DISPOSED')),
    disposed_on         date,
    disposal_kind       text CHECK (disposal_kind IN ('SALE', 'SCRAP', 'WRITE_OFF')),
    proceeds            bigint NOT NULL DEFAULT 0,
    created_by          text NOT NULL,
    created_at          timestamptz NOT NULL,
    UNIQUE (group_id, tag)
);
CREATE INDEX assets_mall_idx ON assets (group_id, mall_id, id);
CREATE INDEX assets_location_idx ON assets (group_id, mall_id, location_kind, location_ref) WHERE status = 'ACTIVE';

CREATE TABLE asset_transfers (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL,
    asset_id       uuid NOT NULL REFERENCES assets (id),
    from_kind      text NOT NULL,
    from_ref       text NOT NULL,
    to_kind        text NOT NULL,
    to_ref         text NOT NULL,
    from_custodian uuid,
    to_custodian   uuid,
    reason         text NOT NULL DEFAULT '',
    by_actor       text NOT NULL,
    at             timestamptz NOT NULL
);
CREATE INDEX asset_transfers_asset_idx ON asset_transfers (asset_id, at);

CREATE TABLE asset_usage (
    group_id uuid NOT NULL,
    mall_id  uuid NOT NULL,
    asset_id uuid NOT NULL REFERENCES assets (id),
    period   text NOT NULL,
    units    bigint NOT NULL CHECK (units >= 0),
    PRIMARY KEY (asset_id, period)
);

-- One line per asset and month, written with its ledger posting and never changed.
CREATE TABLE asset_depreciation_lines (
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    asset_id    uuid NOT NULL REFERENCES assets (id),
    period      text NOT NULL,
    amount      bigint NOT NULL CHECK (amount >= 0),
    posting_key text NOT NULL,
    posted_at   timestamptz NOT NULL,
    PRIMARY KEY (asset_id, period)
);
CREATE INDEX asset_depreciation_lines_mall_idx ON asset_depreciation_lines (group_id, mall_id);

CREATE TABLE asset_stocktakes (
    id            uuid PRIMARY KEY,
    group_id      uuid NOT NULL,
    mall_id       uuid NOT NULL REFERENCES malls (id),
    location_kind text NOT NULL CHECK (location_kind IN ('UNIT', 'ZONE')),
    location_ref  text NOT NULL,
    status        text NOT NULL CHECK (status IN ('COUNTING', 'SUBMITTED', 'APPROVED')),
    started_by    text NOT NULL,
    started_at    timestamptz NOT NULL,
    submitted_by  text,
    submitted_at  timestamptz,
    decided_by    text,
    decided_at    timestamptz,
    note          text NOT NULL DEFAULT ''
);
CREATE INDEX asset_stocktakes_mall_idx ON asset_stocktakes (group_id, mall_id, id DESC);

-- Scans uploaded by the staff app, offline ones included: a client scan id is counted once.
CREATE TABLE asset_stocktake_scans (
    stocktake_id   uuid NOT NULL REFERENCES asset_stocktakes (id),
    client_scan_id text NOT NULL,
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL,
    tag            text NOT NULL,
    scanned_by     text NOT NULL,
    scanned_at     timestamptz NOT NULL,
    received_at    timestamptz NOT NULL,
    PRIMARY KEY (stocktake_id, client_scan_id)
);

CREATE TABLE asset_maintenance_plans (
    id              uuid PRIMARY KEY,
    group_id        uuid NOT NULL,
    mall_id         uuid NOT NULL,
    asset_id        uuid NOT NULL REFERENCES assets (id),
    title           text NOT NULL,
    every_kind      text NOT NULL CHECK (every_kind IN ('DAYS', 'MONTHS', 'USAGE')),
    every_n         integer NOT NULL DEFAULT 0,
    meter_device_id text NOT NULL DEFAULT '',
    usage_every     numeric(18,3) NOT NULL DEFAULT 0,
    next_due        date,
    usage_since     timestamptz,
    active          boolean NOT NULL DEFAULT true,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX asset_maintenance_plans_due_idx ON asset_maintenance_plans (group_id, mall_id) WHERE active;

-- The work orders plans opened: one per plan and due (a date, or a usage mark).
CREATE TABLE asset_maintenance_orders (
    plan_id   uuid NOT NULL REFERENCES asset_maintenance_plans (id),
    due_key   text NOT NULL,
    group_id  uuid NOT NULL,
    mall_id   uuid NOT NULL,
    asset_id  uuid NOT NULL REFERENCES assets (id),
    order_id  uuid NOT NULL,
    opened_at timestamptz NOT NULL,
    PRIMARY KEY (plan_id, due_key)
);
CREATE INDEX asset_maintenance_orders_asset_idx ON asset_maintenance_orders (asset_id, opened_at);

-- +goose Down
DROP TABLE asset_maintenance_orders;
DROP TABLE asset_maintenance_plans;
DROP TABLE asset_stocktake_scans;
DROP TABLE asset_stocktakes;
DROP TABLE asset_depreciation_lines;
DROP TABLE asset_usage;
DROP TABLE asset_transfers;
DROP TABLE assets;
DROP TABLE asset_categories;
