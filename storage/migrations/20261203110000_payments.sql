-- +goose Up
-- Payments (issue 13, point 3): orders paid online with WeChat Pay (API v3), the
-- notifications WeChat Pay sent about them, and refunds. The context owns these tables;
-- what a paid order does (a recharge, a bill paid) is its purpose's settler's, run in the
-- transaction that marks the order paid.

-- One order per payment asked of WeChat Pay. out_trade_no is the order id's 32 hex digits
-- (WeChat Pay: 6–32 characters, unique per merchant). Amounts are in fen (分), as WeChat
-- Pay counts them: the notification's amount is compared with amount_fen exactly.
CREATE TABLE payment_orders (
    id             uuid PRIMARY KEY,
    out_trade_no   text NOT NULL UNIQUE,
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL,
    purpose        text NOT NULL CHECK (purpose ~ '^[A-Z][A-Z_]{1,31}$'),
    reference_id   uuid NOT NULL,
    payer_kind     text NOT NULL CHECK (payer_kind IN ('shopper', 'merchant', 'staff')),
    payer_id       uuid NOT NULL,
    description    text NOT NULL CHECK (length(description) BETWEEN 1 AND 127),
    amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
    refunded_fen   bigint NOT NULL DEFAULT 0 CHECK (refunded_fen BETWEEN 0 AND amount_fen),
    appid          text NOT NULL,
    mchid          text NOT NULL,
    mode           text NOT NULL CHECK (mode IN ('JSAPI', 'NATIVE')),
    openid         text,
    status         text NOT NULL CHECK (status IN ('CREATED', 'PAID', 'CLOSED', 'PARTLY_REFUNDED', 'REFUNDED')),
    prepay_id      text,
    code_url       text,
    expires_at     timestamptz NOT NULL,
    transaction_id text,
    paid_at        timestamptz,
    closed_at      timestamptz,
    -- A paid order whose purpose refused its effect (a card frozen meanwhile, its cap
    -- reached by another recharge): the money arrived, the effect did not; finance refunds.
    settle_error   text,
    created_at     timestamptz NOT NULL,
    CHECK (mode <> 'JSAPI' OR openid IS NOT NULL),
    CHECK ((status = 'CREATED' OR status = 'CLOSED') = (paid_at IS NULL))
);
CREATE INDEX payment_orders_mall_idx ON payment_orders (mall_id, id);
CREATE INDEX payment_orders_payer_idx ON payment_orders (payer_id, id);
CREATE INDEX payment_orders_reference_idx ON payment_orders (purpose, reference_id);
-- The reconciliation job's work list: orders still waiting for their notification.
CREATE INDEX payment_orders_created_idx ON payment_orders (created_at) WHERE status = 'CREATED';

-- Refunds of paid orders; out_refund_no is the refund id's 32 hex digits.
CREATE TABLE payment_refunds (
    id             uuid PRIMARY KEY,
    out_refund_no  text NOT NULL UNIQUE,
    order_id       uuid NOT NULL REFERENCES payment_orders (id),
    group_id       uuid NOT NULL,
    mall_id        uuid NOT NULL,
    amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
    reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 80),
    -- PENDING until WeChat Pay says SUCCESS, or CLOSED/ABNORMAL (FAILED here).
    status         text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    refund_id      text,
    wechat_status  text,
    requested_by   uuid NOT NULL,
    created_at     timestamptz NOT NULL,
    finished_at    timestamptz
);
CREATE INDEX payment_refunds_order_idx ON payment_refunds (order_id);
CREATE INDEX payment_refunds_pending_idx ON payment_refunds (created_at) WHERE status = 'PENDING';

-- Every notification received (and every result of the reconciliation job's query),
-- with what became of it: accepted (it changed the order or refund), duplicate (already
-- done), refused (with the reason: bad signature, stale timestamp, amount, appid…).
-- Attributed to its order's mall when the order is known.
CREATE TABLE payment_notifications (
    id              uuid PRIMARY KEY,
    group_id        uuid,
    mall_id         uuid,
    source          text NOT NULL CHECK (source IN ('notify', 'query')),
    notification_id text NOT NULL DEFAULT '',
    event_type      text NOT NULL DEFAULT '',
    out_trade_no    text,
    out_refund_no   text,
    outcome         text NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'refused')),
    reason          text NOT NULL DEFAULT '',
    received_at     timestamptz NOT NULL
);
CREATE INDEX payment_notifications_mall_idx ON payment_notifications (mall_id, id);

-- +goose Down
DROP TABLE payment_notifications, payment_refunds, payment_orders;
