-- +goose Up
-- Loyalty: programme settings, tiers, earning and recharge rules, purchases, referrals,
-- the leaderboard's source of truth, transfers and notifications.
CREATE TABLE loyalty_programs (
    group_id            uuid PRIMARY KEY REFERENCES org_groups(id),
    tier_basis          text NOT NULL DEFAULT 'spend' CHECK (tier_basis IN ('spend', 'points')),
    tier_window_days    int NOT NULL DEFAULT 365 CHECK (tier_window_days > 0),
    points_expiry_days  int NOT NULL DEFAULT 365 CHECK (points_expiry_days > 0),
    return_window_days  int NOT NULL DEFAULT 0 CHECK (return_window_days >= 0),
    point_value         numeric(10,4) NOT NULL DEFAULT 0.01 CHECK (point_value > 0),  -- yuan per point offset
    transfer_max        int NOT NULL DEFAULT 1000 CHECK (transfer_max >= 0),          -- per transfer
    transfer_daily_max  int NOT NULL DEFAULT 5000 CHECK (transfer_daily_max >= 0),    -- per sender per day
    referral_points     int NOT NULL DEFAULT 0 CHECK (referral_points >= 0),
    referral_min_amount numeric(18,2) NOT NULL DEFAULT 0
);

CREATE TABLE loyalty_tiers (
    id                uuid PRIMARY KEY,
    group_id          uuid NOT NULL REFERENCES org_groups(id),
    code              text NOT NULL,
    name              text NOT NULL,
    rank              int NOT NULL CHECK (rank >= 0),
    threshold         numeric(18,2) NOT NULL CHECK (threshold >= 0),
    discount_rate     numeric(5,4) NOT NULL DEFAULT 1 CHECK (discount_rate > 0 AND discount_rate <= 1),
    points_multiplier numeric(6,2) NOT NULL DEFAULT 1 CHECK (points_multiplier >= 0),
    UNIQUE (group_id, rank),
    UNIQUE (group_id, code)
);

ALTER TABLE members
    ADD COLUMN tier_id    uuid REFERENCES loyalty_tiers(id),
    ADD COLUMN tier_since timestamptz;

-- Points per yuan: a merchant's rule beats its category's, which beats the group's.
CREATE TABLE loyalty_earn_rules (
    id               uuid PRIMARY KEY,
    group_id         uuid NOT NULL REFERENCES org_groups(id),
    merchant_id      uuid REFERENCES merchants(id),
    category         text,
    points_per_yuan  numeric(10,4) NOT NULL CHECK (points_per_yuan >= 0),
    cap_per_purchase int CHECK (cap_per_purchase >= 0)
);
CREATE UNIQUE INDEX loyalty_earn_rules_scope_idx ON loyalty_earn_rules (group_id, coalesce(merchant_id::text, ''), coalesce(category, ''));

-- Recharge bonus: paying at least min_amount gets bonus more (the largest that applies).
CREATE TABLE loyalty_recharge_rules (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    min_amount numeric(18,2) NOT NULL CHECK (min_amount > 0),
    bonus      numeric(18,2) NOT NULL CHECK (bonus >= 0),
    UNIQUE (group_id, min_amount)
);

CREATE TABLE loyalty_purchases (
    id               uuid PRIMARY KEY,
    group_id         uuid NOT NULL REFERENCES org_groups(id),
    mall_id          uuid NOT NULL REFERENCES malls(id),
    merchant_id      uuid NOT NULL REFERENCES merchants(id),
    receipt_no       text NOT NULL CHECK (length(receipt_no) BETWEEN 1 AND 64),
    member_id        uuid NOT NULL REFERENCES members(id),
    card_id          uuid NOT NULL REFERENCES cards(id),   -- the card presented
    pay_card_id      uuid NOT NULL REFERENCES cards(id),   -- the card paid from (the primary for a supplementary)
    amount           numeric(18,2) NOT NULL CHECK (amount > 0),
    discount_rate    numeric(5,4) NOT NULL,
    payable          numeric(18,2) NOT NULL,
    stored_value     numeric(18,2) NOT NULL,
    points_used      numeric(18,2) NOT NULL,
    points_value     numeric(18,2) NOT NULL,
    points_pieces    jsonb NOT NULL DEFAULT '[]',
    cash             numeric(18,2) NOT NULL,
    points_earned    numeric(18,2) NOT NULL,
    earn_lot_id      uuid,
    refunded         numeric(18,2) NOT NULL DEFAULT 0,   -- of payable
    created_at       timestamptz NOT NULL,
    UNIQUE (merchant_id, receipt_no),
    CHECK (refunded >= 0 AND refunded <= payable)
);
CREATE INDEX loyalty_purchases_member_idx ON loyalty_purchases (member_id, created_at);
CREATE INDEX loyalty_purchases_card_day_idx ON loyalty_purchases (card_id, created_at);

CREATE TABLE loyalty_refunds (
    id            uuid PRIMARY KEY,
    purchase_id   uuid NOT NULL REFERENCES loyalty_purchases(id),
    amount        numeric(18,2) NOT NULL CHECK (amount > 0),
    stored_value  numeric(18,2) NOT NULL,
    points_back   numeric(18,2) NOT NULL,
    points_clawed numeric(18,2) NOT NULL,
    cash          numeric(18,2) NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX loyalty_refunds_purchase_idx ON loyalty_refunds (purchase_id);

-- One referral reward per referee, and per phone and per openid ever seen.
CREATE TABLE loyalty_referrals (
    referee_id  uuid PRIMARY KEY REFERENCES members(id),
    referrer_id uuid NOT NULL REFERENCES members(id),
    phone       text UNIQUE,
    openid      text UNIQUE,
    purchase_id uuid NOT NULL REFERENCES loyalty_purchases(id),
    points      numeric(18,2) NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Points earned (negative: clawed back) per mall, member and business month: the
-- leaderboard's source of truth, rebuilt into Redis when Redis lost it.
CREATE TABLE loyalty_points_earned (
    id         uuid PRIMARY KEY,
    mall_id    uuid NOT NULL REFERENCES malls(id),
    member_id  uuid NOT NULL REFERENCES members(id),
    month      date NOT NULL,
    points     numeric(18,2) NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX loyalty_points_earned_month_idx ON loyalty_points_earned (mall_id, month);

CREATE TABLE loyalty_transfers (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    from_card  uuid NOT NULL REFERENCES cards(id),
    to_card    uuid NOT NULL REFERENCES cards(id),
    from_member uuid NOT NULL REFERENCES members(id),
    points     numeric(18,2) NOT NULL CHECK (points > 0),
    day        date NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX loyalty_transfers_day_idx ON loyalty_transfers (from_member, day);

CREATE TABLE loyalty_recharges (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    mall_id    uuid NOT NULL REFERENCES malls(id),
    card_id    uuid NOT NULL REFERENCES cards(id),
    amount     numeric(18,2) NOT NULL CHECK (amount > 0),
    bonus      numeric(18,2) NOT NULL CHECK (bonus >= 0),
    staff_id   uuid,
    created_at timestamptz NOT NULL
);

-- Notifications the mini-program lists (birthdays, expiring points, …); dedupe_key
-- makes a job that runs twice record each reminder once.
CREATE TABLE loyalty_notifications (
    id         uuid PRIMARY KEY,
    member_id  uuid NOT NULL REFERENCES members(id),
    kind       text NOT NULL,
    title      text NOT NULL,
    body       text NOT NULL,
    dedupe_key text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    read_at    timestamptz
);
CREATE INDEX loyalty_notifications_member_idx ON loyalty_notifications (member_id, id);

-- +goose Down
DROP TABLE loyalty_notifications, loyalty_recharges, loyalty_transfers, loyalty_points_earned, loyalty_referrals,
    loyalty_refunds, loyalty_purchases, loyalty_recharge_rules, loyalty_earn_rules;
ALTER TABLE members DROP COLUMN tier_id, DROP COLUMN tier_since;
DROP TABLE loyalty_tiers, loyalty_programs;
