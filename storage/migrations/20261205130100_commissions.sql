-- +goose Up
-- Staff commissions (员工业绩/提成, issue 17 point 7). Rules per merchant: a default for
-- the merchant, one per category, one per product/service code (the most specific
-- wins: code, then category, then the merchant's default), a percentage of the line's
-- paid amount or a fixed amount per item. Every purchase line recorded with a server
-- or lines becomes a comm_lines row dated by the purchase; a refund adds negative rows
-- in proportion to the refunded share, dated by the refund. A month is settled per
-- merchant: one comm_settlements row per staff member whose total is the sum of its
-- lines; a settled month takes no new lines (comm_closed_months), so a refund after it
-- lands in the month it happens in.
CREATE TABLE comm_rules (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    merchant_id uuid NOT NULL,
    scope       text NOT NULL CHECK (scope IN ('MERCHANT', 'CATEGORY', 'ITEM')),
    match_key   text NOT NULL, -- '' for MERCHANT, the category or the code
    kind        text NOT NULL CHECK (kind IN ('PERCENT', 'FIXED')),
    rate        numeric(9, 4) NOT NULL DEFAULT 0 CHECK (rate >= 0 AND rate <= 100),
    amount      numeric(18, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
    updated_by  text NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (group_id, merchant_id, scope, match_key)
);

CREATE TABLE comm_lines (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    merchant_id uuid NOT NULL,
    staff_id    uuid, -- NULL: nobody served (the line counts for the product rankings only)
    month       date NOT NULL, -- first day of the business month the line belongs to
    purchase_id uuid NOT NULL,
    refund_id   uuid, -- NULL for the sale's own line
    line_no     integer NOT NULL,
    code        text NOT NULL,
    category    text NOT NULL,
    quantity    integer NOT NULL,
    base        numeric(18, 2) NOT NULL, -- paid amount of the line (negative for a refund)
    commission  numeric(18, 2) NOT NULL, -- negative for a refund
    rule_id     uuid,
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX comm_lines_source_key ON comm_lines (group_id, purchase_id, coalesce(refund_id, purchase_id), line_no);
CREATE INDEX comm_lines_month_idx ON comm_lines (group_id, merchant_id, month, staff_id);
CREATE INDEX comm_lines_mall_idx ON comm_lines (group_id, mall_id, month);

CREATE TABLE comm_closed_months (
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    merchant_id uuid NOT NULL,
    month       date NOT NULL,
    closed_by   text NOT NULL,
    closed_at   timestamptz NOT NULL,
    PRIMARY KEY (group_id, merchant_id, month)
);

CREATE TABLE comm_settlements (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    merchant_id uuid NOT NULL,
    staff_id    uuid NOT NULL,
    month       date NOT NULL,
    sales       numeric(18, 2) NOT NULL,
    total       numeric(18, 2) NOT NULL,
    line_count  integer NOT NULL,
    settled_at  timestamptz NOT NULL,
    UNIQUE (group_id, merchant_id, month, staff_id)
);

-- +goose Down
DROP TABLE comm_settlements;
DROP TABLE comm_closed_months;
DROP TABLE comm_lines;
DROP TABLE comm_rules;
