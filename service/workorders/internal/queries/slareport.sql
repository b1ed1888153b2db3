-- name: OrdersOpenedBetween :many
-- A mall's orders opened in [from_at, to_at), cancelled ones left out (through
-- wo_orders_opened: the period's orders, not the history's).
SELECT id, category, priority, opened_at FROM wo_orders
WHERE group_id = @group_id AND mall_id = @mall_id AND opened_at >= @from_at AND opened_at < @to_at
    AND status <> 'CANCELLED'
ORDER BY opened_at, id;

-- name: EventsOfOrders :many
SELECT order_id, at, kind, priority FROM wo_events
WHERE group_id = @group_id AND mall_id = @mall_id AND order_id = ANY(@order_ids::uuid[])
ORDER BY order_id, at, id;

-- name: PausesOfOrders :many
SELECT * FROM wo_pauses
WHERE group_id = @group_id AND mall_id = @mall_id AND order_id = ANY(@order_ids::uuid[])
ORDER BY order_id, from_at;
