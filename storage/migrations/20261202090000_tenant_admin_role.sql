-- +goose Up
-- The tenant app (issue 12): a tenant's own administrator, scoped to its merchant like
-- merchant staff. Merchant-scoped roles are exactly merchant_staff and tenant_admin.
ALTER TABLE staff_roles DROP CONSTRAINT staff_roles_role_check,
    ADD CONSTRAINT staff_roles_role_check CHECK (role IN ('admin', 'member_ops', 'service_desk', 'leasing',
        'finance', 'maintenance', 'security', 'merchant_staff', 'tenant_admin'));
ALTER TABLE staff_roles DROP CONSTRAINT staff_roles_check,
    ADD CONSTRAINT staff_roles_check CHECK ((role IN ('merchant_staff', 'tenant_admin')) = (scope_level = 'merchant'));

-- +goose Down
DELETE FROM staff_roles WHERE role = 'tenant_admin';
ALTER TABLE staff_roles DROP CONSTRAINT staff_roles_check,
    ADD CONSTRAINT staff_roles_check CHECK ((role = 'merchant_staff') = (scope_level = 'merchant'));
ALTER TABLE staff_roles DROP CONSTRAINT staff_roles_role_check,
    ADD CONSTRAINT staff_roles_role_check CHECK (role IN ('admin', 'member_ops', 'service_desk', 'leasing',
        'finance', 'maintenance', 'security', 'merchant_staff'));
