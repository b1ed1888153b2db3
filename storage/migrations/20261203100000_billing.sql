-- +goose Up
-- Billing (issue 13, core): bill runs per mall and month, bills per tenant and run with
-- their lines, one-off charges entered by finance, and the per-mall VAT rate of each
-- charge code. Amounts are tax-inclusive (gross); each line stores its net and VAT split.

-- The VAT rate of a charge code at a mall (a fraction: 0.09 is 9 %). A code without a row
-- uses the defaults in billing/vat.go.
CREATE TABLE billing_vat_rates (
    group_id uuid NOT NULL REFERENCES org_groups(id),
    mall_id  uuid NOT NULL REFERENCES malls(id),
    code     text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]{0,31}$'),
    rate     numeric(6,4) NOT NULL CHECK (rate >= 0 AND rate < 1),
    PRIMARY KEY (group_id, mall_id, code)
);

-- One bill run per mall and calendar month. The job works contracts in keyset batches
-- (cursor: the last contract id done) and commits its progress with each batch.
CREATE TABLE billing_runs (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    mall_id     uuid NOT NULL REFERENCES malls(id),
    id          uuid PRIMARY KEY,
    period      text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    status      text NOT NULL CHECK (status IN ('queued', 'running', 'done')),
    total       int NOT NULL DEFAULT 0,
    done        int NOT NULL DEFAULT 0,
    billed      int NOT NULL DEFAULT 0,
    skipped     int NOT NULL DEFAULT 0,
    cursor      uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    error       text NOT NULL DEFAULT '',
    created_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL,
    started_at  timestamptz,
    finished_at timestamptz,
    UNIQUE (group_id, mall_id, period)
);
CREATE INDEX billing_runs_mall_idx ON billing_runs (group_id, mall_id, id);

-- The run report: what the run did with each contract it worked.
CREATE TABLE billing_run_items (
    run_id      uuid NOT NULL REFERENCES billing_runs(id),
    contract_id uuid NOT NULL, -- leasing's contract; no foreign key across contexts
    merchant_id uuid NOT NULL,
    outcome     text NOT NULL CHECK (outcome IN ('billed', 'skipped')),
    reason      text NOT NULL DEFAULT '',
    lines       int NOT NULL,
    gross       numeric(18,2) NOT NULL,
    PRIMARY KEY (run_id, contract_id)
);

-- One bill per tenant (merchant) and run. Amounts are the sums of the lines; outstanding
-- is what the tenant still owes of an issued bill (payments and allocation reduce it, on
-- the lines and here alike).
CREATE TABLE billing_bills (
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    mall_id      uuid NOT NULL REFERENCES malls(id),
    id           uuid PRIMARY KEY,
    run_id       uuid NOT NULL REFERENCES billing_runs(id),
    merchant_id  uuid NOT NULL REFERENCES merchants(id),
    period       text NOT NULL,
    status       text NOT NULL CHECK (status IN ('draft', 'reviewed', 'issued', 'void')),
    net          numeric(18,2) NOT NULL DEFAULT 0,
    vat          numeric(18,2) NOT NULL DEFAULT 0,
    gross        numeric(18,2) NOT NULL DEFAULT 0,
    outstanding  numeric(18,2) NOT NULL DEFAULT 0,
    due_on       date,
    posting_key  text NOT NULL DEFAULT '', -- the ledger posting of its issue ('' when it moved nothing)
    created_at   timestamptz NOT NULL,
    reviewed_by  uuid,
    reviewed_at  timestamptz,
    issued_by    uuid,
    issued_at    timestamptz,
    voided_by    uuid,
    voided_at    timestamptz,
    void_reason  text NOT NULL DEFAULT '',
    UNIQUE (run_id, merchant_id)
);
CREATE INDEX billing_bills_mall_idx ON billing_bills (group_id, mall_id, id);
CREATE INDEX billing_bills_merchant_idx ON billing_bills (merchant_id, id);

-- A bill's lines. A line's identity is (contract, source, source_key): for a schedule
-- line leasing's frozen-line key "CODE|OF|VERSION|BILL_START|PERIOD_START", for a one-off
-- charge its id, for energy the energy source's key. It is unique: nothing is billed twice.
CREATE TABLE billing_bill_lines (
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    bill_id      uuid NOT NULL REFERENCES billing_bills(id),
    id           uuid PRIMARY KEY,
    contract_id  uuid NOT NULL,
    source       text NOT NULL CHECK (source IN ('schedule', 'one_off', 'energy')),
    source_key   text NOT NULL,
    code         text NOT NULL,
    of_code      text NOT NULL DEFAULT '',
    period_start date NOT NULL,
    period_end   date NOT NULL,
    due_on       date NOT NULL,
    vat_rate     numeric(6,4) NOT NULL,
    net          numeric(18,2) NOT NULL,
    vat          numeric(18,2) NOT NULL,
    gross        numeric(18,2) NOT NULL CHECK (gross = net + vat),
    outstanding  numeric(18,2) NOT NULL,
    basis        text NOT NULL,
    UNIQUE (group_id, contract_id, source, source_key)
);
CREATE INDEX billing_bill_lines_bill_idx ON billing_bill_lines (bill_id);

-- One-off charges finance enters against a contract; the next bill run bills each once
-- (billed_line is the line that billed it).
CREATE TABLE billing_one_off_charges (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    mall_id     uuid NOT NULL REFERENCES malls(id),
    id          uuid PRIMARY KEY,
    contract_id uuid NOT NULL,
    merchant_id uuid NOT NULL REFERENCES merchants(id),
    code        text NOT NULL,
    amount      numeric(18,2) NOT NULL CHECK (amount <> 0),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    created_by  uuid NOT NULL,
    created_at  timestamptz NOT NULL,
    billed_line uuid
);
CREATE INDEX billing_one_off_open_idx ON billing_one_off_charges (contract_id) WHERE billed_line IS NULL;
CREATE INDEX billing_one_off_mall_idx ON billing_one_off_charges (group_id, mall_id, id);

-- +goose Down
DROP TABLE billing_one_off_charges, billing_bill_lines, billing_bills, billing_run_items, billing_runs,
    billing_vat_rates;
