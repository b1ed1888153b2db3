-- +goose Up
-- Billing payments (issue 13, "Payments"): tenant payments (bank transfer, cash entered
-- by finance, WeChat Pay), their allocation to bill lines (and of tenant credit), the
-- tenant credit each merchant holds, the waterfall declared per contract, receipts and
-- fapiao requests. See service/billing/payments.go.

-- The allocation order a contract declares (alloc.Waterfall as JSON); a contract without
-- a row uses alloc.Default.
CREATE TABLE billing_waterfalls (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    mall_id     uuid NOT NULL REFERENCES malls(id),
    contract_id uuid PRIMARY KEY, -- leasing's contract; no foreign key across contexts
    waterfall   jsonb NOT NULL,
    updated_by  uuid NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- A merchant's unapplied tenant credit (what payments left over, less what was applied).
-- The row is also the merchant's allocation lock: every payment, reversal and credit
-- application of the merchant locks it first.
CREATE TABLE billing_tenant_credits (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    merchant_id uuid PRIMARY KEY REFERENCES merchants(id),
    available   numeric(18,2) NOT NULL DEFAULT 0 CHECK (available >= 0)
);

-- A payment a tenant made: entered by finance (bank, cash) or paid online (wechat, one
-- per payment order). credit is what it left over as tenant credit when recorded.
CREATE TABLE billing_payments (
    group_id       uuid NOT NULL REFERENCES org_groups(id),
    mall_id        uuid NOT NULL REFERENCES malls(id),
    id             uuid PRIMARY KEY,
    merchant_id    uuid NOT NULL REFERENCES merchants(id),
    method         text NOT NULL CHECK (method IN ('bank', 'cash', 'wechat')),
    amount         numeric(18,2) NOT NULL CHECK (amount > 0),
    credit         numeric(18,2) NOT NULL CHECK (credit >= 0 AND credit <= amount),
    reference      text NOT NULL DEFAULT '',
    receipt_no     text NOT NULL,
    received_on    date NOT NULL,
    order_id       uuid UNIQUE, -- the payment order (wechat)
    status         text NOT NULL CHECK (status IN ('posted', 'reversed')),
    receipt_key    text NOT NULL DEFAULT '', -- the receipt PDF's object key, once generated
    created_by     uuid NOT NULL,
    created_at     timestamptz NOT NULL,
    reversed_by    uuid,
    reversed_at    timestamptz,
    reverse_reason text NOT NULL DEFAULT '',
    UNIQUE (group_id, receipt_no)
);
CREATE INDEX billing_payments_mall_idx ON billing_payments (group_id, mall_id, id);
CREATE INDEX billing_payments_merchant_idx ON billing_payments (merchant_id, id);

-- What a payment (payment_id set) or an application of tenant credit (payment_id NULL,
-- batch_id the application) paid of a bill line. A payment's reversal sets reversed_at.
CREATE TABLE billing_allocations (
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    id          uuid PRIMARY KEY,
    batch_id    uuid NOT NULL, -- the payment's id, or the credit application's
    payment_id  uuid REFERENCES billing_payments(id),
    merchant_id uuid NOT NULL REFERENCES merchants(id),
    bill_id     uuid NOT NULL REFERENCES billing_bills(id),
    line_id     uuid NOT NULL REFERENCES billing_bill_lines(id),
    code        text NOT NULL,
    amount      numeric(18,2) NOT NULL CHECK (amount > 0),
    seq         int NOT NULL, -- the part's place in its batch (payment order)
    created_at  timestamptz NOT NULL,
    reversed_at timestamptz
);
CREATE INDEX billing_allocations_batch_idx ON billing_allocations (batch_id);
CREATE INDEX billing_allocations_payment_idx ON billing_allocations (payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX billing_allocations_merchant_idx ON billing_allocations (merchant_id) WHERE payment_id IS NULL;

-- One fapiao (发票) request per bill, REQUESTED → ISSUED | FAILED by the provider.
CREATE TABLE billing_fapiao_requests (
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    mall_id      uuid NOT NULL REFERENCES malls(id),
    id           uuid PRIMARY KEY,
    bill_id      uuid NOT NULL UNIQUE REFERENCES billing_bills(id),
    merchant_id  uuid NOT NULL REFERENCES merchants(id),
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    tax_number   text NOT NULL,
    email        text NOT NULL,
    status       text NOT NULL CHECK (status IN ('requested', 'issued', 'failed')),
    invoice_no   text NOT NULL DEFAULT '',
    error        text NOT NULL DEFAULT '',
    requested_by uuid NOT NULL,
    created_at   timestamptz NOT NULL,
    finished_at  timestamptz
);
CREATE INDEX billing_fapiao_mall_idx ON billing_fapiao_requests (group_id, mall_id, id);

-- +goose Down
DROP TABLE billing_fapiao_requests, billing_allocations, billing_payments, billing_tenant_credits, billing_waterfalls;
