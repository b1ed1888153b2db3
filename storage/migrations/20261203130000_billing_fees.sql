-- +goose Up
-- Billing (issue 13): energy tariffs and the readings energy lines used, late fees
-- (per overdue bill and contract: a watermark and the accrued total; each accrual a
-- LATE_FEE line on a late-fee bill issued at once), every reduction of a line's
-- outstanding (deposit applications, waivers, later payments) as a dated move, and
-- approvals (late-fee waivers, deposit applications and refunds).

-- A mall's tariff of a meter kind from a day on (energy.Tariff as it marshals).
CREATE TABLE billing_energy_tariffs (
    group_id       uuid NOT NULL REFERENCES org_groups(id),
    mall_id        uuid NOT NULL REFERENCES malls(id),
    meter_kind     text NOT NULL CHECK (meter_kind IN ('electricity', 'water', 'gas')),
    effective_from date NOT NULL,
    tariff         jsonb NOT NULL,
    created_by     uuid NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (group_id, mall_id, meter_kind, effective_from)
);

-- The consumption an energy line billed: its meters' cut-off readings. It is written
-- in the run's batch before the line, ON CONFLICT DO NOTHING, so it is also the claim
-- that bills a (contract, kind, unit, period) once.
CREATE TABLE billing_energy_usage (
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    contract_id  uuid NOT NULL,
    source_key   text NOT NULL,
    meter_kind   text NOT NULL,
    unit_code    text NOT NULL,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    estimated    boolean NOT NULL,
    flags        text[] NOT NULL,
    detail       jsonb NOT NULL,
    PRIMARY KEY (group_id, contract_id, source_key)
);

-- Late-fee bills have no run: one per tenant and accrual, issued when accrued.
ALTER TABLE billing_bills ALTER COLUMN run_id DROP NOT NULL,
    ADD COLUMN kind text NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'late_fee'));
ALTER TABLE billing_bill_lines DROP CONSTRAINT billing_bill_lines_source_check,
    ADD CONSTRAINT billing_bill_lines_source_check CHECK (source IN ('schedule', 'one_off', 'energy', 'late_fee'));
CREATE INDEX billing_bills_open_idx ON billing_bills (group_id, mall_id, due_on)
    WHERE status = 'issued' AND outstanding > 0;

-- Each overdue (bill, contract): the last day accrued and the gross accrued (waived
-- accruals included), updated in the transaction that posts an accrual.
CREATE TABLE billing_late_fee_state (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    mall_id     uuid NOT NULL REFERENCES malls(id),
    bill_id     uuid NOT NULL REFERENCES billing_bills(id),
    contract_id uuid NOT NULL,
    merchant_id uuid NOT NULL REFERENCES merchants(id),
    watermark   date,
    accrued     numeric(18,2) NOT NULL DEFAULT 0 CHECK (accrued >= 0),
    PRIMARY KEY (bill_id, contract_id)
);

-- Every reduction of an issued line's outstanding, dated (the business day it counts
-- from): a deposit applied, a late fee waived, later a payment allocated.
CREATE TABLE billing_line_moves (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    id          uuid PRIMARY KEY,
    line_id     uuid NOT NULL REFERENCES billing_bill_lines(id),
    bill_id     uuid NOT NULL REFERENCES billing_bills(id),
    merchant_id uuid NOT NULL REFERENCES merchants(id),
    on_day      date NOT NULL,
    amount      numeric(18,2) NOT NULL CHECK (amount > 0), -- taken off the outstanding
    kind        text NOT NULL CHECK (kind IN ('deposit', 'waiver', 'payment')),
    ref_id      uuid NOT NULL, -- the approval (or payment) that moved it
    created_at  timestamptz NOT NULL
);
CREATE INDEX billing_line_moves_line_idx ON billing_line_moves (line_id);
CREATE INDEX billing_line_moves_merchant_idx ON billing_line_moves (merchant_id, on_day);

-- Requests that need a second person: a late-fee waiver (its accrual lines), a deposit
-- applied to arrears or refunded (a contract's). Approved by ADMIN or a FINANCE user
-- other than the requester; the approval posts.
CREATE TABLE billing_approvals (
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    mall_id      uuid NOT NULL REFERENCES malls(id),
    id           uuid PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('late_fee_waiver', 'deposit_apply', 'deposit_refund')),
    merchant_id  uuid NOT NULL REFERENCES merchants(id),
    contract_id  uuid,
    line_ids     uuid[] NOT NULL DEFAULT '{}',
    amount       numeric(18,2) NOT NULL CHECK (amount > 0),
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    status       text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    requested_by uuid NOT NULL,
    requested_at timestamptz NOT NULL,
    decided_by   uuid,
    decided_at   timestamptz,
    posting_key  text NOT NULL DEFAULT ''
);
CREATE INDEX billing_approvals_mall_idx ON billing_approvals (group_id, mall_id, id);
CREATE INDEX billing_approvals_contract_idx ON billing_approvals (contract_id) WHERE contract_id IS NOT NULL;

-- +goose Down
DROP TABLE billing_approvals, billing_line_moves, billing_late_fee_state, billing_energy_usage, billing_energy_tariffs;
DROP INDEX billing_bills_open_idx;
ALTER TABLE billing_bill_lines DROP CONSTRAINT billing_bill_lines_source_check,
    ADD CONSTRAINT billing_bill_lines_source_check CHECK (source IN ('schedule', 'one_off', 'energy'));
ALTER TABLE billing_bills DROP COLUMN kind;
