-- +goose Up
-- iot_events becomes a log partitioned by month of processed_at (the server's clock: a
-- device's own ts can be anything), so a retention job can drop whole months instead of
-- deleting rows. A partitioned table's unique key must include the partition key, so
-- exactly-once moves to iot_event_claims: unpartitioned, keyed by (device_id, event_id),
-- and kept only for the de-duplication window (ATRIUM_IOT_DEDUP_DAYS, 7 by default),
-- longer than any device retries a message. Trade-off and operations: docs/mqtt.md.
CREATE TABLE iot_event_claims (
    device_id  text NOT NULL REFERENCES devices(id),
    event_id   text NOT NULL,
    claimed_at timestamptz NOT NULL,
    PRIMARY KEY (device_id, event_id)
);
CREATE INDEX iot_event_claims_claimed_idx ON iot_event_claims (claimed_at);

ALTER TABLE iot_events RENAME TO iot_events_unpartitioned;
ALTER INDEX iot_events_pkey RENAME TO iot_events_unpartitioned_pkey;

-- No foreign key to devices here: the claim (same transaction) already checks the
-- device, and dropping a month then locks nothing but the month itself.
CREATE TABLE iot_events (
    device_id    text NOT NULL,
    event_id     text NOT NULL,
    kind         text NOT NULL,
    ts           timestamptz NOT NULL,
    outcome      text NOT NULL DEFAULT 'ok',
    processed_at timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (processed_at);
CREATE INDEX iot_events_event_idx ON iot_events (device_id, event_id);
-- A safety net only: the job creates months ahead (devices.RotateEvents), so rows land
-- here only when it has not run for months; retention deletes old rows from it.
CREATE TABLE iot_events_default PARTITION OF iot_events DEFAULT;

-- Months from the oldest event (or this month) to three months ahead, in UTC, named
-- iot_events_YYYYMM like the job names them.
-- +goose StatementBegin
DO $$
DECLARE
    m    date := date_trunc('month', least(coalesce((SELECT min(processed_at) FROM iot_events_unpartitioned), now()),
                                            now()) AT TIME ZONE 'UTC')::date;
    last date := (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months')::date;
BEGIN
    WHILE m <= last LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF iot_events FOR VALUES FROM (%L) TO (%L)',
            'iot_events_' || to_char(m, 'YYYYMM'), to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00',
            to_char(m + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
        m := (m + interval '1 month')::date;
    END LOOP;
END $$;
-- +goose StatementEnd

INSERT INTO iot_events (device_id, event_id, kind, ts, outcome, processed_at)
SELECT device_id, event_id, kind, ts, outcome, processed_at FROM iot_events_unpartitioned;
-- Every old event keeps its claim; the retention job drops the claims past the window.
INSERT INTO iot_event_claims (device_id, event_id, claimed_at)
SELECT device_id, event_id, processed_at FROM iot_events_unpartitioned;
DROP TABLE iot_events_unpartitioned;

-- +goose Down
CREATE TABLE iot_events_unpartitioned (
    device_id    text NOT NULL REFERENCES devices(id),
    event_id     text NOT NULL,
    kind         text NOT NULL,
    ts           timestamptz NOT NULL,
    outcome      text NOT NULL DEFAULT 'ok',
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, event_id)
);
INSERT INTO iot_events_unpartitioned SELECT device_id, event_id, kind, ts, outcome, processed_at FROM iot_events
ON CONFLICT DO NOTHING;
DROP TABLE iot_events, iot_event_claims;
ALTER TABLE iot_events_unpartitioned RENAME TO iot_events;
ALTER INDEX iot_events_unpartitioned_pkey RENAME TO iot_events_pkey;
