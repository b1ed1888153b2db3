-- +goose Up
-- Segment issue runs: a staff request to issue a coupon template to a member segment,
-- carried out by a background job (coupons_segment_issue) that stores its report here.
CREATE TABLE coupon_segment_runs (
    id          uuid PRIMARY KEY,
    template_id uuid NOT NULL REFERENCES coupon_templates(id),
    segment     jsonb NOT NULL,
    status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    issued      int NOT NULL DEFAULT 0,
    skipped     int NOT NULL DEFAULT 0,
    error       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX coupon_segment_runs_template_idx ON coupon_segment_runs (template_id, created_at);

-- +goose Down
DROP TABLE coupon_segment_runs;
