-- +goose Up
-- Organisation: group → region → mall → merchant.
CREATE TABLE org_groups (
    id         uuid PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE org_regions (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (group_id, name)
);

CREATE TABLE malls (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    region_id  uuid REFERENCES org_regions(id),
    code       text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone  text NOT NULL DEFAULT 'Asia/Shanghai',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX malls_group_idx ON malls (group_id, id);

CREATE TABLE merchants (
    id         uuid PRIMARY KEY,
    mall_id    uuid NOT NULL REFERENCES malls(id),
    code       text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    category   text NOT NULL DEFAULT '',
    kind       text NOT NULL DEFAULT 'tenant' CHECK (kind IN ('tenant', 'alliance')),
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (mall_id, code)
);
CREATE INDEX merchants_mall_idx ON merchants (mall_id, id);

-- Staff accounts and their scoped roles.
CREATE TABLE staff (
    id            uuid PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
    display_name  text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);

CREATE TABLE staff_roles (
    staff_id    uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('admin', 'member_ops', 'service_desk', 'leasing', 'finance',
                                              'maintenance', 'security', 'merchant_staff')),
    scope_level text NOT NULL CHECK (scope_level IN ('group', 'region', 'mall', 'merchant')),
    scope_id    uuid NOT NULL,
    PRIMARY KEY (staff_id, role, scope_level, scope_id),
    CHECK ((role = 'merchant_staff') = (scope_level = 'merchant'))
);

-- Shoppers: the identity behind a member. The members context adds the profile.
CREATE TABLE members (
    id            uuid PRIMARY KEY,
    group_id      uuid REFERENCES org_groups(id),
    openid        text UNIQUE,
    unionid       text,
    status        text NOT NULL DEFAULT 'active',
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);
CREATE INDEX members_unionid_idx ON members (unionid) WHERE unionid IS NOT NULL;

-- Who did what, when and why: every staff action that moves value or changes a contract.
CREATE TABLE audit_log (
    id          uuid PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_kind  text NOT NULL,
    actor_id    uuid,
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   uuid,
    mall_id     uuid,
    reason      text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, at);

-- Responses of idempotent mutations, keyed by (scope, key).
CREATE TABLE idempotency_keys (
    scope        text NOT NULL,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash bytea NOT NULL,
    response     jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys, audit_log, members, staff_roles, staff, merchants, malls, org_regions, org_groups;
