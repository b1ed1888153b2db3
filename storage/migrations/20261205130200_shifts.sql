-- +goose Up
-- Shift handover (交班交款, issue 17 point 8). A cashier (service desk at a mall's desk,
-- merchant staff at a merchant's till) opens a shift with a cash float; one open shift
-- per cashier and till. Every cash, card or other operation the cashier does at that
-- place while it is open is recorded in it (shift_ops, in the operation's own
-- transaction). Closing records the counted amount per tender against the expected
-- (float + the tender's operations) and the variance (over > 0, short < 0).
CREATE TABLE shift_sessions (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    merchant_id uuid, -- NULL: the mall's service desk
    till        text NOT NULL,
    cashier_id  uuid NOT NULL,
    status      text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
    float_cash  numeric(18, 2) NOT NULL CHECK (float_cash >= 0),
    opened_at   timestamptz NOT NULL,
    closed_at   timestamptz,
    closed_by   text
);
CREATE UNIQUE INDEX shift_sessions_open_key ON shift_sessions (group_id, mall_id,
    coalesce(merchant_id, '00000000-0000-0000-0000-000000000000'::uuid), till, cashier_id) WHERE status = 'OPEN';
CREATE INDEX shift_sessions_cashier_idx ON shift_sessions (group_id, cashier_id, status, opened_at);
CREATE INDEX shift_sessions_mall_idx ON shift_sessions (group_id, mall_id, opened_at);

CREATE TABLE shift_ops (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL,
    shift_id   uuid NOT NULL REFERENCES shift_sessions (id),
    kind       text NOT NULL,
    tender     text NOT NULL CHECK (tender IN ('CASH', 'CARD', 'WECHAT', 'ALIPAY', 'STORED_VALUE', 'OTHER')),
    amount     numeric(18, 2) NOT NULL, -- into the till > 0, out of it < 0
    source_id  text NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (group_id, kind, source_id, tender)
);
CREATE INDEX shift_ops_shift_idx ON shift_ops (group_id, shift_id, tender);

CREATE TABLE shift_counts (
    group_id  uuid NOT NULL,
    shift_id  uuid NOT NULL REFERENCES shift_sessions (id),
    tender    text NOT NULL,
    expected  numeric(18, 2) NOT NULL,
    counted   numeric(18, 2) NOT NULL,
    variance  numeric(18, 2) NOT NULL, -- counted - expected: over > 0, short < 0
    PRIMARY KEY (group_id, shift_id, tender)
);

-- +goose Down
DROP TABLE shift_counts;
DROP TABLE shift_ops;
DROP TABLE shift_sessions;
