-- +goose Up
-- The work-order SLA report reads a mall's orders opened in a period (issue 16).
CREATE INDEX wo_orders_opened ON wo_orders (group_id, mall_id, opened_at);

-- +goose Down
DROP INDEX wo_orders_opened;
