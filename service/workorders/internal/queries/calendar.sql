-- name: InsertCalendarMarker :execrows
INSERT INTO wo_calendars (group_id, mall_id, created_at) VALUES (@group_id, @mall_id, @at)
ON CONFLICT DO NOTHING;

-- name: InsertHours :exec
INSERT INTO wo_calendar_hours (group_id, mall_id, weekday, from_sec, to_sec)
VALUES (@group_id, @mall_id, @weekday, @from_sec, @to_sec);

-- name: DeleteHours :exec
DELETE FROM wo_calendar_hours WHERE group_id = @group_id AND mall_id = @mall_id;

-- name: HoursOfMall :many
SELECT weekday, from_sec, to_sec FROM wo_calendar_hours
WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY weekday, from_sec;

-- name: UpsertHoliday :exec
INSERT INTO wo_holidays (group_id, mall_id, day, name, kind) VALUES (@group_id, @mall_id, @day, @name, @kind)
ON CONFLICT (group_id, mall_id, day) DO UPDATE SET name = excluded.name, kind = excluded.kind;

-- name: DeleteHolidaysOfYear :exec
DELETE FROM wo_holidays WHERE group_id = @group_id AND mall_id = @mall_id
  AND date_part('year', day)::int = @year::int;

-- name: HolidaysOfMall :many
SELECT day, name, kind FROM wo_holidays WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY day;

-- name: InsertPolicyDefault :exec
INSERT INTO wo_sla_policies (group_id, mall_id, category, priority, response_secs, resolution_secs, around_the_clock)
VALUES (@group_id, @mall_id, @category, @priority, @response_secs, @resolution_secs, @around_the_clock)
ON CONFLICT DO NOTHING;

-- name: UpsertPolicy :exec
INSERT INTO wo_sla_policies (group_id, mall_id, category, priority, response_secs, resolution_secs, around_the_clock)
VALUES (@group_id, @mall_id, @category, @priority, @response_secs, @resolution_secs, @around_the_clock)
ON CONFLICT (group_id, mall_id, category, priority) DO UPDATE SET response_secs = excluded.response_secs,
  resolution_secs = excluded.resolution_secs, around_the_clock = excluded.around_the_clock;

-- name: PoliciesOfMall :many
SELECT category, priority, response_secs, resolution_secs, around_the_clock FROM wo_sla_policies
WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY category, priority;

-- name: UpsertTechnician :exec
INSERT INTO wo_technicians (group_id, mall_id, staff_id, skills, zones) VALUES (@group_id, @mall_id, @staff_id, @skills, @zones)
ON CONFLICT (group_id, mall_id, staff_id) DO UPDATE SET skills = excluded.skills, zones = excluded.zones;

-- name: TechniciansOfMall :many
SELECT staff_id, skills, zones FROM wo_technicians WHERE group_id = @group_id AND mall_id = @mall_id;

-- name: OpenLoad :many
SELECT assignee::uuid AS staff_id, count(*)::int AS open FROM wo_orders
WHERE group_id = @group_id AND mall_id = @mall_id AND assignee IS NOT NULL
  AND status IN ('ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'WAITING')
GROUP BY assignee;
