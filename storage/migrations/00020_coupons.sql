-- +goose Up
-- Coupon templates (券模板): what a coupon is worth, where and when it can be used, how many exist.
CREATE TABLE coupon_templates (
    id              uuid PRIMARY KEY,
    mall_id         uuid NOT NULL REFERENCES malls(id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind            text NOT NULL CHECK (kind IN ('cash', 'percent', 'gift', 'parking')),
    face_value      numeric(18,2) NOT NULL DEFAULT 0 CHECK (face_value >= 0),  -- cash: amount off; gift: cost value
    percent_off     numeric(5,2) CHECK (percent_off > 0 AND percent_off < 100),
    parking_hours   integer CHECK (parking_hours > 0),
    min_spend       numeric(18,2) NOT NULL DEFAULT 0 CHECK (min_spend >= 0),
    merchant_ids    uuid[] NOT NULL DEFAULT '{}',    -- empty and no categories: every merchant of the mall
    categories      text[] NOT NULL DEFAULT '{}',
    valid_from      timestamptz,                      -- fixed validity
    valid_until     timestamptz,
    valid_days      integer CHECK (valid_days > 0),   -- or N days after claim
    windows         jsonb NOT NULL DEFAULT '[]',      -- usable time windows: [{"weekdays":[1..7],"from":"10:00","to":"14:00"}]
    total_stock     integer NOT NULL CHECK (total_stock >= 0),
    per_member      integer NOT NULL DEFAULT 1 CHECK (per_member > 0),
    budget_cap      numeric(18,2) CHECK (budget_cap >= 0),
    stacking        text NOT NULL DEFAULT 'exclusive' CHECK (stacking IN ('exclusive', 'stackable')),
    funder          text NOT NULL DEFAULT 'mall' CHECK (funder IN ('mall', 'merchant')),
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'ended')),
    claimed_count   integer NOT NULL DEFAULT 0 CHECK (claimed_count >= 0),
    budget_used     numeric(18,2) NOT NULL DEFAULT 0 CHECK (budget_used >= 0),
    redeemed_count  integer NOT NULL DEFAULT 0 CHECK (redeemed_count >= 0),
    gate_epoch      bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (claimed_count <= total_stock),
    CHECK (budget_cap IS NULL OR budget_used <= budget_cap),
    CHECK ((valid_days IS NULL) <> (valid_until IS NULL))
);
CREATE INDEX coupon_templates_mall_idx ON coupon_templates (mall_id, id);

-- How many coupons of a template each member has claimed: the per-member limit's truth.
CREATE TABLE coupon_member_claims (
    template_id uuid NOT NULL REFERENCES coupon_templates(id),
    member_id   uuid NOT NULL REFERENCES members(id),
    claimed     integer NOT NULL CHECK (claimed > 0),
    PRIMARY KEY (template_id, member_id)
);

-- Coupon instances (券): one per claim, owned by a member.
CREATE TABLE coupons (
    id           uuid PRIMARY KEY,
    template_id  uuid NOT NULL REFERENCES coupon_templates(id),
    member_id    uuid NOT NULL REFERENCES members(id),
    seq          integer NOT NULL CHECK (seq > 0),
    source       text NOT NULL DEFAULT 'claim',
    status       text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'used', 'revoked')),
    valid_from   timestamptz NOT NULL,
    valid_until  timestamptz NOT NULL,
    used_at      timestamptz,
    used_ref     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (template_id, member_id, seq)
);
CREATE INDEX coupons_member_idx ON coupons (member_id, id);
CREATE INDEX coupons_template_idx ON coupons (template_id, status);

-- Ed25519 keys that sign redemption tokens; the token names its key, so keys can rotate.
CREATE TABLE signing_keys (
    id          integer PRIMARY KEY,
    public_key  bytea NOT NULL,
    private_key bytea NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Redemption codes (核销码) of coupons and bookings.
CREATE SEQUENCE redemption_code_changes;
CREATE TABLE redemption_codes (
    id            uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('coupon', 'booking')),
    subject_id    uuid NOT NULL,
    member_id     uuid NOT NULL REFERENCES members(id),
    mall_id       uuid NOT NULL REFERENCES malls(id),
    merchant_ids  uuid[] NOT NULL DEFAULT '{}',       -- empty: valid at every merchant of the mall
    numeric_code  text NOT NULL CHECK (numeric_code ~ '^[0-9]{12}$'),
    nonce         bytea NOT NULL,
    key_id        integer NOT NULL REFERENCES signing_keys(id),
    valid_from    timestamptz NOT NULL,
    valid_until   timestamptz NOT NULL,
    status        text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'redeemed', 'revoked')),
    change_seq    bigint NOT NULL DEFAULT 0,          -- bumped from the sequence on every status change
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, subject_id)
);
CREATE UNIQUE INDEX redemption_codes_live_numeric_idx ON redemption_codes (numeric_code)
    WHERE status IN ('issued', 'redeemed');
CREATE INDEX redemption_codes_changes_idx ON redemption_codes (change_seq) WHERE change_seq > 0;

-- Each redemption (and its void).
CREATE TABLE redemptions (
    id            uuid PRIMARY KEY,
    code_id       uuid NOT NULL REFERENCES redemption_codes(id),
    staff_id      uuid,
    merchant_id   uuid REFERENCES merchants(id),
    redeemed_at   timestamptz NOT NULL,
    offline       boolean NOT NULL DEFAULT false,
    voided_at     timestamptz,
    void_reason   text
);
CREATE UNIQUE INDEX redemptions_live_idx ON redemptions (code_id) WHERE voided_at IS NULL;
CREATE INDEX redemptions_merchant_day_idx ON redemptions (merchant_id, redeemed_at);

-- Scans a staff device made offline, uploaded later; the scan nonce makes a re-upload count once.
CREATE TABLE offline_scans (
    scan_nonce   text PRIMARY KEY CHECK (length(scan_nonce) BETWEEN 8 AND 64),
    code_id      uuid NOT NULL REFERENCES redemption_codes(id),
    staff_id     uuid NOT NULL,
    device_id    text NOT NULL,
    scanned_at   timestamptz NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('redeemed', 'conflict', 'rejected')),
    detail       text NOT NULL DEFAULT '',
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX offline_scans_conflicts_idx ON offline_scans (code_id) WHERE outcome = 'conflict';

-- Bookable resources (VIP lounge, parking space, event seats, paid services) and their slots.
CREATE TABLE booking_resources (
    id              uuid PRIMARY KEY,
    mall_id         uuid NOT NULL REFERENCES malls(id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind            text NOT NULL DEFAULT 'service',
    free_cancel_hours integer NOT NULL DEFAULT 2 CHECK (free_cancel_hours >= 0),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE booking_slots (
    id          uuid PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES booking_resources(id),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    capacity    integer NOT NULL CHECK (capacity > 0),
    booked      integer NOT NULL DEFAULT 0 CHECK (booked >= 0),
    CHECK (booked <= capacity),
    CHECK (ends_at > starts_at),
    UNIQUE (resource_id, starts_at)
);

CREATE TABLE bookings (
    id          uuid PRIMARY KEY,
    slot_id     uuid NOT NULL REFERENCES booking_slots(id),
    member_id   uuid NOT NULL REFERENCES members(id),
    status      text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'used', 'cancelled', 'no_show')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    cancelled_at timestamptz,
    late_cancel boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX bookings_member_slot_idx ON bookings (slot_id, member_id) WHERE status <> 'cancelled';

-- +goose Down
DROP TABLE bookings, booking_slots, booking_resources, offline_scans, redemptions, redemption_codes,
    signing_keys, coupons, coupon_member_claims, coupon_templates;
DROP SEQUENCE redemption_code_changes;
