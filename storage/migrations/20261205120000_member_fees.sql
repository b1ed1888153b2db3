-- +goose Up
-- Cards as products (issue 17, points 5 and 6): card types sold at a price with a
-- validity, fees and withdrawal rules (members context owns card_types), and the member
-- fees context (mfee_*): fees due per card, their postings, waivers, desk sales,
-- renewals, withdrawals, group cards (团体卡) and linked cards (关联卡).
ALTER TABLE card_types
    ADD COLUMN price                    numeric(18,2) CHECK (price >= 0),       -- NULL: not sold at the desk
    ADD COLUMN validity_months          integer CHECK (validity_months BETWEEN 1 AND 600), -- NULL: no expiry
    ADD COLUMN renewable                boolean NOT NULL DEFAULT false,
    ADD COLUMN joining_fee              numeric(18,2) NOT NULL DEFAULT 0 CHECK (joining_fee >= 0),
    ADD COLUMN annual_fee               numeric(18,2) NOT NULL DEFAULT 0 CHECK (annual_fee >= 0),
    ADD COLUMN supplementary_annual_fee numeric(18,2) NOT NULL DEFAULT 0 CHECK (supplementary_annual_fee >= 0),
    ADD COLUMN withdrawal_allowed       boolean NOT NULL DEFAULT false,
    ADD COLUMN withdrawal_fee_rate      numeric(5,4) NOT NULL DEFAULT 0 CHECK (withdrawal_fee_rate >= 0 AND withdrawal_fee_rate < 1),
    ADD COLUMN withdrawal_min           numeric(18,2) CHECK (withdrawal_min > 0),
    ADD COLUMN withdrawal_max           numeric(18,2) CHECK (withdrawal_max > 0),
    ADD COLUMN withdrawal_daily_limit   numeric(18,2) CHECK (withdrawal_daily_limit > 0);

-- A group's fee policy: when a charged fee falls due, the grace before a late penalty,
-- the penalty (per day: rate of the fee a day; fixed: one amount) and its cap, and how
-- many days ahead a fee is announced.
CREATE TABLE mfee_policies (
    group_id           uuid PRIMARY KEY REFERENCES org_groups(id),
    payment_days       integer NOT NULL CHECK (payment_days BETWEEN 0 AND 365),
    grace_days         integer NOT NULL CHECK (grace_days BETWEEN 0 AND 365),
    penalty_mode       text NOT NULL CHECK (penalty_mode IN ('none', 'per_day', 'fixed')),
    penalty_daily_rate numeric(7,6) NOT NULL DEFAULT 0 CHECK (penalty_daily_rate >= 0 AND penalty_daily_rate <= 1),
    penalty_fixed      numeric(18,2) NOT NULL DEFAULT 0 CHECK (penalty_fixed >= 0),
    penalty_cap        numeric(18,2) CHECK (penalty_cap >= 0),
    remind_days        integer NOT NULL CHECK (remind_days BETWEEN 0 AND 90),
    updated_at         timestamptz NOT NULL
);

-- Group cards (团体卡): one payer (a member, by one of its cards, or a company by name),
-- many holders each with a card of their own; the payer owes every holder's fees.
CREATE TABLE mfee_card_groups (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL REFERENCES org_groups(id),
    mall_id        uuid NOT NULL REFERENCES malls(id),
    name           text NOT NULL,
    payer_card_id  uuid REFERENCES cards(id),
    payer_company  text,
    created_at     timestamptz NOT NULL,
    CHECK ((payer_card_id IS NULL) <> (payer_company IS NULL)),
    UNIQUE (group_id, mall_id, name)
);
CREATE TABLE mfee_card_group_members (
    group_id      uuid NOT NULL REFERENCES org_groups(id),
    card_group_id uuid NOT NULL REFERENCES mfee_card_groups(id),
    card_id       uuid NOT NULL REFERENCES cards(id),
    added_at      timestamptz NOT NULL,
    PRIMARY KEY (group_id, card_id)   -- a card is in at most one card group
);
CREATE INDEX mfee_card_group_members_group_idx ON mfee_card_group_members (group_id, card_group_id);

-- Linked cards (关联卡): family cards linked to a head card, whose holder sees the points
-- and stored value of the linked cards beside its own (a view: no value moves).
CREATE TABLE mfee_links (
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    head_card_id uuid NOT NULL REFERENCES cards(id),
    card_id      uuid NOT NULL REFERENCES cards(id),
    relation     text NOT NULL,
    linked_at    timestamptz NOT NULL,
    PRIMARY KEY (group_id, card_id),  -- a card is linked to one head at most
    CHECK (head_card_id <> card_id)
);
CREATE INDEX mfee_links_head_idx ON mfee_links (group_id, head_card_id);

-- Fees due: one row per card, kind and period (the ledger key fee:<card>:<kind>:<period>).
-- payer_id owns the ledger account member_fee_due (a card, or a card group).
CREATE TABLE mfee_fees (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    mall_id    uuid NOT NULL REFERENCES malls(id),
    card_id    uuid NOT NULL REFERENCES cards(id),
    member_id  uuid NOT NULL REFERENCES members(id),
    payer_id   uuid NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('joining', 'annual', 'supplementary_annual', 'late_penalty')),
    period     text NOT NULL,
    amount     numeric(18,2) NOT NULL CHECK (amount >= 0),  -- charged so far (a penalty grows)
    paid       numeric(18,2) NOT NULL DEFAULT 0 CHECK (paid >= 0),
    waived     numeric(18,2) NOT NULL DEFAULT 0 CHECK (waived >= 0),
    due_on     date NOT NULL,
    status     text NOT NULL CHECK (status IN ('open', 'paid', 'waived')),
    penalty_of uuid REFERENCES mfee_fees(id),
    created_at timestamptz NOT NULL,
    CHECK (paid + waived <= amount),
    UNIQUE (group_id, card_id, kind, period)
);
CREATE INDEX mfee_fees_open_idx ON mfee_fees (group_id, due_on) WHERE status = 'open';
CREATE INDEX mfee_fees_payer_idx ON mfee_fees (group_id, payer_id);
CREATE UNIQUE INDEX mfee_fees_penalty_idx ON mfee_fees (group_id, penalty_of) WHERE penalty_of IS NOT NULL;

-- Every ledger posting of a fee (charge, payment, waiver), mirrored by key for Verify.
CREATE TABLE mfee_postings (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    fee_id      uuid NOT NULL REFERENCES mfee_fees(id),
    payer_id    uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('charge', 'payment', 'waiver')),
    method      text CHECK (method IN ('stored_value', 'cash')),
    amount      numeric(18,2) NOT NULL CHECK (amount > 0),
    key         text NOT NULL,
    staff_id    uuid,
    shift_id    uuid,            -- the cashier shift of a cash payment (shifts are another context's)
    created_at  timestamptz NOT NULL,
    UNIQUE (group_id, key)
);
CREATE INDEX mfee_postings_fee_idx ON mfee_postings (group_id, fee_id);

-- Waivers: asked by one staff member, approved by another (ADMIN or FINANCE).
CREATE TABLE mfee_waivers (
    id           uuid PRIMARY KEY,
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    fee_id       uuid NOT NULL REFERENCES mfee_fees(id),
    amount       numeric(18,2) NOT NULL CHECK (amount > 0),
    reason       text NOT NULL,
    status       text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    requested_by uuid NOT NULL,
    decided_by   uuid,
    created_at   timestamptz NOT NULL,
    decided_at   timestamptz
);
CREATE UNIQUE INDEX mfee_waivers_open_idx ON mfee_waivers (group_id, fee_id) WHERE status = 'requested';

-- Cards sold at the desk: the price paid and how.
CREATE TABLE mfee_sales (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    mall_id    uuid NOT NULL REFERENCES malls(id),
    card_id    uuid NOT NULL REFERENCES cards(id),
    member_id  uuid NOT NULL REFERENCES members(id),
    price      numeric(18,2) NOT NULL,
    method     text NOT NULL CHECK (method IN ('cash')),
    staff_id   uuid NOT NULL,
    shift_id   uuid,
    created_at timestamptz NOT NULL,
    UNIQUE (group_id, card_id)
);

-- Renewals (续期): each extends a card's validity once.
CREATE TABLE mfee_renewals (
    id           uuid PRIMARY KEY,
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    card_id      uuid NOT NULL REFERENCES cards(id),
    from_expires timestamptz,
    to_expires   timestamptz NOT NULL,
    fee_id       uuid REFERENCES mfee_fees(id),
    staff_id     uuid NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX mfee_renewals_card_idx ON mfee_renewals (group_id, card_id);

-- Withdrawals (提现) of stored value: amount taken off the card, fee kept, net paid out.
CREATE TABLE mfee_withdrawals (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    mall_id    uuid NOT NULL REFERENCES malls(id),
    card_id    uuid NOT NULL REFERENCES cards(id),
    amount     numeric(18,2) NOT NULL CHECK (amount > 0),
    fee        numeric(18,2) NOT NULL CHECK (fee >= 0),
    net        numeric(18,2) NOT NULL CHECK (net > 0),
    day        date NOT NULL,
    key        text NOT NULL,
    staff_id   uuid NOT NULL,
    shift_id   uuid,
    created_at timestamptz NOT NULL,
    UNIQUE (group_id, key)
);
CREATE INDEX mfee_withdrawals_day_idx ON mfee_withdrawals (group_id, card_id, day);

-- +goose Down
DROP TABLE mfee_withdrawals, mfee_renewals, mfee_sales, mfee_waivers, mfee_postings, mfee_fees, mfee_links,
    mfee_card_group_members, mfee_card_groups, mfee_policies;
ALTER TABLE card_types DROP COLUMN price, DROP COLUMN validity_months, DROP COLUMN renewable,
    DROP COLUMN joining_fee, DROP COLUMN annual_fee, DROP COLUMN supplementary_annual_fee,
    DROP COLUMN withdrawal_allowed, DROP COLUMN withdrawal_fee_rate, DROP COLUMN withdrawal_min,
    DROP COLUMN withdrawal_max, DROP COLUMN withdrawal_daily_limit;
