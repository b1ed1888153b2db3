-- name: InsertPlan :one
INSERT INTO asset_maintenance_plans (id, group_id, mall_id, asset_id, title, every_kind, every_n, meter_device_id,
    usage_every, next_due, usage_since, active, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @asset_id, @title, @every_kind, @every_n, @meter_device_id, @usage_every,
    sqlc.narg(next_due), sqlc.narg(usage_since), true, @created_by, @created_at)
RETURNING *;

-- name: PlansOfAsset :many
SELECT * FROM asset_maintenance_plans WHERE asset_id = @asset_id ORDER BY created_at, id;

-- name: ActivePlans :many
-- Active plans of active assets: a date plan due on or before the day, every usage plan.
SELECT p.* FROM asset_maintenance_plans p JOIN assets a ON a.id = p.asset_id
WHERE p.active AND a.status = 'ACTIVE' AND (p.every_kind = 'USAGE' OR p.next_due <= @day::date)
ORDER BY p.id;

-- name: LockPlan :one
SELECT * FROM asset_maintenance_plans WHERE id = @id FOR UPDATE;

-- name: AdvancePlan :exec
UPDATE asset_maintenance_plans SET next_due = sqlc.narg(next_due), usage_since = sqlc.narg(usage_since) WHERE id = @id;

-- name: InsertMaintenanceOrder :execrows
INSERT INTO asset_maintenance_orders (plan_id, due_key, group_id, mall_id, asset_id, order_id, opened_at)
VALUES (@plan_id, @due_key, @group_id, @mall_id, @asset_id, @order_id, @opened_at)
ON CONFLICT (plan_id, due_key) DO NOTHING;

-- name: MaintenanceOfAsset :many
SELECT * FROM asset_maintenance_orders WHERE asset_id = @asset_id ORDER BY opened_at DESC, due_key DESC;
