-- Staff accounts and their scoped roles.

-- name: StaffCredentials :one
SELECT id, password_hash, status FROM staff WHERE username = @username;

-- name: TouchLogin :exec
UPDATE staff SET last_login_at = now() WHERE id = @id;

-- name: SetPassword :execrows
UPDATE staff SET password_hash = @password_hash WHERE username = @username;

-- name: StaffGrants :many
SELECT role, scope_level, scope_id FROM staff_roles WHERE staff_id = @staff_id
ORDER BY role, scope_level, scope_id;

-- name: StaffByID :one
SELECT id, username, display_name, status, created_at, last_login_at FROM staff WHERE id = @id;

-- name: StaffIDsAfter :many
SELECT id FROM staff WHERE id > @after ORDER BY id LIMIT @max;

-- name: InsertStaff :exec
INSERT INTO staff (id, username, display_name, password_hash) VALUES (@id, @username, @display_name, @password_hash);

-- name: InsertStaffRole :exec
INSERT INTO staff_roles (staff_id, role, scope_level, scope_id) VALUES (@staff_id, @role, @scope_level, @scope_id)
ON CONFLICT DO NOTHING;

-- name: ActiveStaffWithRolesAt :many
-- Active staff holding one of roles with a grant covering a mall (the mall itself, its
-- region or its group), for dispatch and escalation.
SELECT DISTINCT s.id FROM staff s JOIN staff_roles r ON r.staff_id = s.id
WHERE s.status = 'active' AND r.role = ANY(@roles::text[])
  AND ((r.scope_level = 'mall' AND r.scope_id = @mall_id) OR (r.scope_level = 'region' AND r.scope_id = @region_id)
    OR (r.scope_level = 'group' AND r.scope_id = @group_id))
ORDER BY s.id;
