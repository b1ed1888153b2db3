-- name: InsertNotice :execrows
-- Records a notice once per dedupe key: 0 rows when it was recorded before.
INSERT INTO staff_notices (id, group_id, region_id, mall_id, audience, kind, subject_id, text, dedupe_key, created_at)
VALUES (@id, @group_id, sqlc.narg(region_id), @mall_id, @audience, @kind, sqlc.narg(subject_id), @text, @dedupe_key,
    @created_at)
ON CONFLICT (group_id, dedupe_key) DO NOTHING;

-- name: VisibleNotices :many
-- A page of the notices a staff member sees, newest first: those whose audience role
-- the member holds by a grant covering the notice's group, region or mall (grants
-- spelled "role:level:scope"); unread_only leaves out what the member read; only_ids
-- (when given) restricts the page to those ids.
SELECT n.*, (r.staff_id IS NOT NULL)::boolean AS read
FROM staff_notices n
LEFT JOIN staff_notice_reads r ON r.group_id = n.group_id AND r.notice_id = n.id AND r.staff_id = @staff_id
WHERE n.group_id = ANY(@group_ids::uuid[])
  AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR n.id < @after::uuid)
  AND (NOT @unread_only::boolean OR r.staff_id IS NULL)
  AND (sqlc.narg(only_ids)::uuid[] IS NULL OR n.id = ANY(sqlc.narg(only_ids)::uuid[]))
  AND (n.audience || ':group:' || n.group_id::text = ANY(@grants::text[])
      OR n.audience || ':region:' || n.region_id::text = ANY(@grants::text[])
      OR n.audience || ':mall:' || n.mall_id::text = ANY(@grants::text[]))
ORDER BY n.id DESC
LIMIT @max;

-- name: MarkRead :execrows
INSERT INTO staff_notice_reads (group_id, notice_id, staff_id, read_at)
SELECT n.group_id, n.id, @staff_id, @read_at FROM staff_notices n WHERE n.id = ANY(@ids::uuid[])
ON CONFLICT DO NOTHING;
