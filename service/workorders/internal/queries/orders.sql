-- name: NextNumber :one
INSERT INTO wo_counters (group_id, mall_id, last) VALUES (@group_id, @mall_id, 1)
ON CONFLICT (group_id, mall_id) DO UPDATE SET last = wo_counters.last + 1
RETURNING last;

-- name: InsertOrder :one
INSERT INTO wo_orders (id, group_id, mall_id, number, category, priority, source, requester_staff, requester_merchant,
  requester_member, unit_id, zone, description, photos, status, opened_at, follow_up_of, updated_at, channel, contact)
VALUES (@id, @group_id, @mall_id, @number, @category, @priority, @source, @requester_staff, @requester_merchant,
  @requester_member, @unit_id, @zone, @description, @photos, 'OPEN', @opened_at, @follow_up_of, @opened_at, @channel,
  @contact)
RETURNING *;

-- name: BumpAlarm :one
UPDATE wo_orders SET repeat_count = repeat_count + 1, alarm_cleared_at = NULL, updated_at = @at
WHERE group_id = @group_id AND mall_id = @mall_id AND alarm_source = @alarm_source AND alarm_kind = @alarm_kind
  AND status IN ('OPEN', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'WAITING')
RETURNING *;

-- name: UpsertAlarmOrder :one
-- The first alarm inserts the order; a concurrent repeat that lost the race counts on it.
INSERT INTO wo_orders (id, group_id, mall_id, number, category, priority, source, zone, description, status, opened_at,
  alarm_source, alarm_kind, updated_at, channel)
VALUES (@id, @group_id, @mall_id, @number, @category, @priority, 'DEVICE', @zone, @description, 'OPEN', @opened_at,
  @alarm_source, @alarm_kind, @opened_at, 'DEVICE')
ON CONFLICT (group_id, mall_id, alarm_source, alarm_kind)
  WHERE alarm_source IS NOT NULL AND status IN ('OPEN', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'WAITING')
DO UPDATE SET repeat_count = wo_orders.repeat_count + 1, alarm_cleared_at = NULL, updated_at = excluded.updated_at
RETURNING id, (xmax = 0)::bool AS inserted;

-- name: ClearAlarm :one
UPDATE wo_orders SET alarm_cleared_at = @at, updated_at = @at
WHERE group_id = @group_id AND mall_id = @mall_id AND alarm_source = @alarm_source AND alarm_kind = @alarm_kind
  AND status IN ('OPEN', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'WAITING') AND alarm_cleared_at IS NULL
RETURNING *;

-- name: Order :one
SELECT * FROM wo_orders WHERE id = @id;

-- name: LockOrder :one
SELECT * FROM wo_orders WHERE id = @id FOR UPDATE;

-- name: UpdateOrder :exec
UPDATE wo_orders SET status = @status, assignee = @assignee, priority = @priority, responded_at = @responded_at,
  resolved_at = @resolved_at, closed_at = @closed_at, rating = @rating, updated_at = @updated_at
WHERE id = @id;

-- name: OrdersOfMall :many
SELECT * FROM wo_orders
WHERE group_id = @group_id AND mall_id = @mall_id
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
  AND (sqlc.narg(assignee)::uuid IS NULL OR assignee = sqlc.narg(assignee))
  AND (sqlc.narg(category)::text IS NULL OR category = sqlc.narg(category))
  AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after)
ORDER BY id DESC LIMIT @lim;

-- name: OrdersOfMerchants :many
SELECT * FROM wo_orders
WHERE requester_merchant = ANY(@merchants::uuid[])
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
  AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after)
ORDER BY id DESC LIMIT @lim;

-- name: OrdersOfMember :many
SELECT * FROM wo_orders
WHERE requester_member = @member
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
  AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after)
ORDER BY id DESC LIMIT @lim;

-- name: InsertEvent :exec
INSERT INTO wo_events (id, group_id, mall_id, order_id, at, actor, kind, from_status, to_status, priority, note)
VALUES (@id, @group_id, @mall_id, @order_id, @at, @actor, @kind, @from_status, @to_status, @priority, @note);

-- name: EventsOfOrder :many
SELECT * FROM wo_events WHERE group_id = @group_id AND mall_id = @mall_id AND order_id = @order_id ORDER BY at, id;

-- name: OpenPause :exec
INSERT INTO wo_pauses (id, group_id, mall_id, order_id, reason, from_at, note)
VALUES (@id, @group_id, @mall_id, @order_id, @reason, @from_at, @note);

-- name: ClosePause :execrows
UPDATE wo_pauses SET to_at = @to_at WHERE order_id = @order_id AND to_at IS NULL;

-- name: PausesOfOrder :many
SELECT * FROM wo_pauses WHERE group_id = @group_id AND mall_id = @mall_id AND order_id = @order_id ORDER BY from_at;

-- name: InsertEscalation :execrows
INSERT INTO wo_escalations (group_id, mall_id, order_id, clock, level, state, to_role, due_at, at)
VALUES (@group_id, @mall_id, @order_id, @clock, @level, @state, @to_role, @due_at, @at)
ON CONFLICT DO NOTHING;

-- name: EscalationsOfOrder :many
SELECT * FROM wo_escalations WHERE group_id = @group_id AND mall_id = @mall_id AND order_id = @order_id
ORDER BY at, clock, level;

-- name: InsertReturnVisit :execrows
INSERT INTO wo_return_visits (order_id, group_id, mall_id, satisfaction, comment, by_staff, at)
VALUES (@order_id, @group_id, @mall_id, @satisfaction, @comment, @by_staff, @at)
ON CONFLICT DO NOTHING;

-- name: ReturnVisitOf :one
SELECT * FROM wo_return_visits WHERE order_id = @order_id;

-- name: AwaitingReturnVisit :many
-- A mall's closed orders raised by people (not devices, not follow-ups) without a
-- return visit, newest first.
SELECT o.* FROM wo_orders o
WHERE o.group_id = @group_id AND o.mall_id = @mall_id AND o.status = 'CLOSED' AND o.source <> 'DEVICE'
  AND o.category <> 'follow_up'
  AND NOT EXISTS (SELECT 1 FROM wo_return_visits v WHERE v.order_id = o.id)
  AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR o.id < @after)
ORDER BY o.id DESC LIMIT @lim;

-- name: CountOrdersOfMall :one
-- How many orders OrdersOfMall lists (an export's total).
SELECT count(*) FROM wo_orders
WHERE group_id = @group_id AND mall_id = @mall_id
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
  AND (sqlc.narg(assignee)::uuid IS NULL OR assignee = sqlc.narg(assignee))
  AND (sqlc.narg(category)::text IS NULL OR category = sqlc.narg(category));
