-- +goose Up
-- Leasing (issue 12): units (铺位), contracts with their versions (the original, amendments
-- and renewals, each carrying schedule.Terms as JSONB), the units a contract lets, its
-- approvals, the per-mall approval limits, and the schedule lines billing has frozen.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE leasing_units (
    group_id      uuid NOT NULL REFERENCES org_groups(id),
    mall_id       uuid NOT NULL REFERENCES malls(id),
    id            uuid PRIMARY KEY,
    code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,32}$'),
    kind          text NOT NULL CHECK (kind IN ('shop', 'kiosk', 'ad_space', 'parking', 'storage')),
    floor         text NOT NULL CHECK (length(floor) BETWEEN 1 AND 16),
    zone          text NOT NULL DEFAULT '' CHECK (length(zone) <= 64),
    gross_area    numeric(12,2) NOT NULL CHECK (gross_area > 0),
    lettable_area numeric(12,2) NOT NULL CHECK (lettable_area > 0 AND lettable_area <= gross_area),
    off_market    boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (group_id, mall_id, code)
);
CREATE INDEX leasing_units_floor_idx ON leasing_units (group_id, mall_id, floor, code);

-- A contract's status is its workflow (leasing/states.go); start_on/end_on are the term of
-- its latest approved version (of the draft while nothing is approved).
CREATE TABLE leasing_contracts (
    group_id      uuid NOT NULL REFERENCES org_groups(id),
    mall_id       uuid NOT NULL REFERENCES malls(id),
    id            uuid PRIMARY KEY,
    merchant_id   uuid NOT NULL REFERENCES merchants(id),
    brand_id      uuid, -- the brands context's brand; no foreign key across contexts
    status        text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'signed', 'active', 'expired',
        'terminated')),
    start_on      date NOT NULL,
    end_on        date NOT NULL CHECK (end_on >= start_on),
    terminated_on date,
    termination_reason text NOT NULL DEFAULT '',
    signed_key    text NOT NULL DEFAULT '',
    created_by    uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leasing_contracts_mall_idx ON leasing_contracts (group_id, mall_id, id);
CREATE INDEX leasing_contracts_merchant_idx ON leasing_contracts (group_id, merchant_id, id);
CREATE INDEX leasing_contracts_brand_idx ON leasing_contracts (group_id, brand_id) WHERE brand_id IS NOT NULL;

-- The units a contract lets. held is the date range the contract holds the unit: NULL while
-- the contract is a draft or submitted (it holds nothing), its term once approved, signed
-- or active, up to the termination date once terminated. No unit is held twice on a day.
CREATE TABLE leasing_contract_units (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    mall_id     uuid NOT NULL REFERENCES malls(id),
    contract_id uuid NOT NULL REFERENCES leasing_contracts(id) ON DELETE CASCADE,
    unit_id     uuid NOT NULL REFERENCES leasing_units(id),
    held        daterange,
    PRIMARY KEY (contract_id, unit_id),
    CONSTRAINT leasing_contract_units_no_overlap
        EXCLUDE USING gist (group_id WITH =, unit_id WITH =, held WITH &&) WHERE (held IS NOT NULL)
);
CREATE INDEX leasing_contract_units_unit_idx ON leasing_contract_units (group_id, unit_id);

-- Version 1 is the original terms; later numbers are amendments and renewals. Each goes
-- through the same approval; an approved version governs from effective_from by itself.
CREATE TABLE leasing_contract_versions (
    group_id       uuid NOT NULL REFERENCES org_groups(id),
    mall_id        uuid NOT NULL REFERENCES malls(id),
    contract_id    uuid NOT NULL REFERENCES leasing_contracts(id) ON DELETE CASCADE,
    number         int NOT NULL CHECK (number >= 1),
    kind           text NOT NULL CHECK (kind IN ('original', 'amendment', 'renewal')),
    status         text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved')),
    effective_from date NOT NULL,
    terms          jsonb NOT NULL,
    annual_rent    numeric(18,2) NOT NULL, -- what the approval limits compare
    round          int NOT NULL DEFAULT 0, -- submissions so far; approvals count per round
    created_by     uuid NOT NULL,
    submitted_by   uuid,
    approved_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, contract_id, number)
);
-- At most one version of a contract is open (a draft or submitted) at a time.
CREATE UNIQUE INDEX leasing_contract_versions_open_idx ON leasing_contract_versions (group_id, contract_id)
    WHERE status IN ('draft', 'submitted');

CREATE TABLE leasing_approvals (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    mall_id     uuid NOT NULL REFERENCES malls(id),
    id          uuid PRIMARY KEY,
    contract_id uuid NOT NULL REFERENCES leasing_contracts(id) ON DELETE CASCADE,
    version     int NOT NULL,
    round       int NOT NULL,
    decision    text NOT NULL CHECK (decision IN ('approved', 'endorsed', 'rejected')),
    role        text NOT NULL,
    staff_id    uuid NOT NULL,
    amount      numeric(18,2) NOT NULL,
    note        text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL
);
CREATE INDEX leasing_approvals_contract_idx ON leasing_approvals (group_id, contract_id, version, round);

-- The highest annual rent a role may approve at a mall (NULL: no limit). A mall without a
-- row uses the defaults in leasing/approval.go.
CREATE TABLE leasing_approval_limits (
    group_id        uuid NOT NULL REFERENCES org_groups(id),
    mall_id         uuid NOT NULL REFERENCES malls(id),
    role            text NOT NULL CHECK (role IN ('finance', 'admin')),
    max_annual_rent numeric(18,2),
    PRIMARY KEY (group_id, mall_id, role)
);

-- Schedule lines billing has billed ("frozen"): they never change. The unique key is the
-- line's identity, so freezing again never doubles a line.
CREATE TABLE leasing_billed_lines (
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    mall_id      uuid NOT NULL REFERENCES malls(id),
    contract_id  uuid NOT NULL REFERENCES leasing_contracts(id) ON DELETE CASCADE,
    code         text NOT NULL,
    of_code      text NOT NULL DEFAULT '',
    version      int NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    bill_start   date NOT NULL,
    bill_end     date NOT NULL,
    due_on       date NOT NULL,
    amount       numeric(18,2) NOT NULL,
    days         int NOT NULL,
    basis        text NOT NULL,
    frozen_at    timestamptz NOT NULL,
    PRIMARY KEY (group_id, contract_id, code, of_code, version, bill_start, period_start)
);

-- +goose Down
DROP TABLE leasing_billed_lines, leasing_approval_limits, leasing_approvals, leasing_contract_versions,
    leasing_contract_units, leasing_contracts, leasing_units;
