-- +goose Up
-- Consumption rolled up per business month, ISO weekday and hour instead of per day and
-- hour: the consumption report reads months, weekdays and hours, never single days, and a
-- month has at most 7 × 24 cells per merchant however many purchases it holds, so the
-- report's cost stays flat as purchases grow (a day-level table grows to 31 × 24 cells a
-- month per merchant as traffic fills them). The day rows are folded in, nothing is lost.
CREATE TABLE report_consumption_months (
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7), -- ISO, 1 = Monday
    hour        smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    merchant_id uuid NOT NULL,
    category    text NOT NULL,
    purchases   bigint NOT NULL DEFAULT 0,
    amount      numeric(18,2) NOT NULL DEFAULT 0,
    refunds     bigint NOT NULL DEFAULT 0,
    refunded    numeric(18,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, mall_id, month, weekday, hour, merchant_id)
);
INSERT INTO report_consumption_months (group_id, mall_id, month, weekday, hour, merchant_id, category, purchases,
    amount, refunds, refunded)
SELECT group_id, mall_id, date_trunc('month', day)::date, extract(isodow FROM day)::smallint, hour, merchant_id,
    max(category), sum(purchases), sum(amount), sum(refunds), sum(refunded)
FROM report_consumption_days
GROUP BY group_id, mall_id, date_trunc('month', day)::date, extract(isodow FROM day)::smallint, hour, merchant_id;
DROP TABLE report_consumption_days;

-- +goose Down
-- The day of a month's rows is not kept: the day table comes back empty and the
-- purchases and refunds are rolled up again from their first rows.
CREATE TABLE report_consumption_days (
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    day         date NOT NULL,
    hour        smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    merchant_id uuid NOT NULL,
    category    text NOT NULL,
    purchases   bigint NOT NULL DEFAULT 0,
    amount      numeric(18,2) NOT NULL DEFAULT 0,
    refunds     bigint NOT NULL DEFAULT 0,
    refunded    numeric(18,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, mall_id, day, hour, merchant_id)
);
UPDATE report_watermarks SET last_at = '1970-01-01 00:00:00+00', last_key = '00000000-0000-0000-0000-000000000000',
    as_of = NULL WHERE source IN ('purchases', 'refunds');
DROP TABLE report_consumption_months;
