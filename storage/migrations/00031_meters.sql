-- +goose Up
-- Cumulative meter readings, partitioned by month of the reading time so that a table of
-- tens of millions of rows stays fast: queries name a meter and a period, so they touch
-- one or two partitions and their (device_id, read_at) index; old months can be detached
-- or dropped whole. Monthly partitions exist from 2025-01 to 2030-12; meters.EnsurePartitions
-- (a job) creates the coming months; anything outside lands in the default partition.
-- No foreign key to devices: the insert path stays a plain append (the bridge only
-- writes readings of registered meters).
CREATE TABLE meter_readings (
    device_id   text NOT NULL,
    read_at     timestamptz NOT NULL,
    value       numeric(18,3) NOT NULL CHECK (value >= 0),
    event_id    text NOT NULL,
    received_at timestamptz NOT NULL,
    flag        text NOT NULL DEFAULT '' -- '' or 'backwards' (went down without a replacement)
) PARTITION BY RANGE (read_at);
CREATE TABLE meter_readings_default PARTITION OF meter_readings DEFAULT;
CREATE INDEX meter_readings_device_idx ON meter_readings (device_id, read_at);

-- +goose StatementBegin
DO $$
DECLARE m date := date '2025-01-01';
BEGIN
    WHILE m < date '2031-01-01' LOOP
        EXECUTE format('CREATE TABLE meter_readings_%s PARTITION OF meter_readings FOR VALUES FROM (%L) TO (%L)',
            to_char(m, 'YYYYMM'), to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00',
            to_char(m + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
        m := m + interval '1 month';
    END LOOP;
END $$;
-- +goose StatementEnd

-- A meter replaced by a new one: the old meter's final value and the new one's start.
CREATE TABLE meter_replacements (
    id          uuid PRIMARY KEY,
    device_id   text NOT NULL REFERENCES devices(id),
    replaced_at timestamptz NOT NULL,
    old_final   numeric(18,3),          -- NULL: the last reading before replaced_at
    new_start   numeric(18,3) NOT NULL DEFAULT 0,
    note        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meter_replacements_device_idx ON meter_replacements (device_id, replaced_at);

-- +goose Down
DROP TABLE meter_replacements, meter_readings;
