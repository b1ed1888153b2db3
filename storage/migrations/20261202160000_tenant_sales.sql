-- +goose Up
-- Tenant sales (营业额, issue 12) and staff notices.
--
-- tenant_sales holds what tenants declare: one row per merchant, period kind and start
-- day. A DAY row is one day's sales; a MONTH row (day = the 1st) is a whole month's
-- declaration. A month's declared sales are its MONTH row when there is one, else the
-- sum of its DAY rows. Re-reporting replaces the row (upsert on the unique key), so a
-- day is never counted twice.
CREATE TABLE tenant_sales (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL REFERENCES org_groups(id),
    mall_id     uuid NOT NULL REFERENCES malls(id),
    merchant_id uuid NOT NULL REFERENCES merchants(id),
    period      text NOT NULL CHECK (period IN ('day', 'month')),
    day         date NOT NULL CHECK (period = 'day' OR extract(day FROM day) = 1),
    amount      numeric(18,2) NOT NULL CHECK (amount >= 0),
    source      text NOT NULL CHECK (source IN ('app', 'import', 'staff')),
    reported_by uuid NOT NULL, -- the staff account (tenant admin, merchant staff, leasing…)
    reported_at timestamptz NOT NULL,
    UNIQUE (group_id, mall_id, merchant_id, period, day)
);
CREATE INDEX tenant_sales_mall_day_idx ON tenant_sales (group_id, mall_id, day);

-- Months closed for rent: no declaration on or before closed_through may change.
CREATE TABLE tenant_sales_closings (
    group_id       uuid NOT NULL REFERENCES org_groups(id),
    mall_id        uuid NOT NULL REFERENCES malls(id),
    merchant_id    uuid NOT NULL REFERENCES merchants(id),
    closed_through date NOT NULL,
    closed_by      uuid NOT NULL,
    closed_at      timestamptz NOT NULL,
    PRIMARY KEY (group_id, mall_id, merchant_id)
);

-- A mall's sales settings; a mall without a row keeps the defaults.
CREATE TABLE tenant_sales_settings (
    group_id      uuid NOT NULL REFERENCES org_groups(id),
    mall_id       uuid NOT NULL REFERENCES malls(id),
    due_day       int NOT NULL DEFAULT 5 CHECK (due_day BETWEEN 1 AND 28),     -- of the next month
    gap_threshold numeric(5,4) NOT NULL DEFAULT 0.20 CHECK (gap_threshold > 0), -- of declared
    PRIMARY KEY (group_id, mall_id)
);

-- Verified sales are summed per mall and business day from loyalty's purchases and
-- refunds (loyalty.VerifiedSales).
CREATE INDEX loyalty_purchases_mall_time_idx ON loyalty_purchases (mall_id, created_at);
CREATE INDEX loyalty_refunds_time_idx ON loyalty_refunds (created_at);

-- Notices for staff: recorded once per dedupe key (a job that reruns never notifies
-- twice), shown to staff holding the audience role over the notice's mall.
CREATE TABLE staff_notices (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    region_id  uuid, -- the mall's region when notified (grants by region)
    mall_id    uuid NOT NULL REFERENCES malls(id),
    audience   text NOT NULL CHECK (length(audience) BETWEEN 1 AND 32),
    kind       text NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    subject_id uuid,
    text       text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL,
    UNIQUE (group_id, dedupe_key)
);
CREATE INDEX staff_notices_mall_idx ON staff_notices (group_id, mall_id, audience, id);

-- Which staff member read which notice.
CREATE TABLE staff_notice_reads (
    group_id  uuid NOT NULL REFERENCES org_groups(id),
    notice_id uuid NOT NULL REFERENCES staff_notices(id) ON DELETE CASCADE,
    staff_id  uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    read_at   timestamptz NOT NULL,
    PRIMARY KEY (group_id, notice_id, staff_id)
);

-- +goose Down
DROP TABLE staff_notice_reads;
DROP TABLE staff_notices;
DROP INDEX loyalty_refunds_time_idx;
DROP INDEX loyalty_purchases_mall_time_idx;
DROP TABLE tenant_sales_settings;
DROP TABLE tenant_sales_closings;
DROP TABLE tenant_sales;
