-- +goose Up
-- Property services (issue 14): the supervisor, who hears first of a work order's SLA
-- warning (level 1; the manager, ADMIN, hears of a breach), edits rosters and patrol
-- plans. Scoped like the other staff roles (group, region or mall).
ALTER TABLE staff_roles DROP CONSTRAINT staff_roles_role_check,
    ADD CONSTRAINT staff_roles_role_check CHECK (role IN ('admin', 'member_ops', 'service_desk', 'leasing',
        'finance', 'maintenance', 'security', 'merchant_staff', 'tenant_admin', 'supervisor'));

-- +goose Down
DELETE FROM staff_roles WHERE role = 'supervisor';
ALTER TABLE staff_roles DROP CONSTRAINT staff_roles_role_check,
    ADD CONSTRAINT staff_roles_role_check CHECK (role IN ('admin', 'member_ops', 'service_desk', 'leasing',
        'finance', 'maintenance', 'security', 'merchant_staff', 'tenant_admin'));
