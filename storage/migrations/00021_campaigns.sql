-- +goose Up
-- Daily sign-in (签到) with streak rewards.
CREATE TABLE signin_campaigns (
    id           uuid PRIMARY KEY,
    mall_id      uuid NOT NULL REFERENCES malls(id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    daily_points integer NOT NULL DEFAULT 0 CHECK (daily_points >= 0),
    rewards      jsonb NOT NULL DEFAULT '[]',   -- [{"day": 7, "points": 50, "templateId": "…"}]
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE signins (
    campaign_id uuid NOT NULL REFERENCES signin_campaigns(id),
    member_id   uuid NOT NULL REFERENCES members(id),
    day         date NOT NULL,
    streak      integer NOT NULL CHECK (streak > 0),
    points      integer NOT NULL DEFAULT 0,
    coupon_id   uuid REFERENCES coupons(id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, member_id, day)
);

-- Lotteries (抽奖) with prize stock and odds.
CREATE TABLE lotteries (
    id          uuid PRIMARY KEY,
    mall_id     uuid NOT NULL REFERENCES malls(id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    cost_points integer NOT NULL DEFAULT 0 CHECK (cost_points >= 0),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lottery_prizes (
    id          uuid PRIMARY KEY,
    lottery_id  uuid NOT NULL REFERENCES lotteries(id),
    name        text NOT NULL,
    odds        numeric(7,6) NOT NULL CHECK (odds > 0 AND odds <= 1),
    stock       integer NOT NULL CHECK (stock >= 0),
    won         integer NOT NULL DEFAULT 0 CHECK (won >= 0),
    points      integer NOT NULL DEFAULT 0 CHECK (points >= 0),
    template_id uuid REFERENCES coupon_templates(id),
    CHECK (won <= stock)
);

CREATE TABLE lottery_draws (
    id         uuid PRIMARY KEY,
    lottery_id uuid NOT NULL REFERENCES lotteries(id),
    member_id  uuid NOT NULL REFERENCES members(id),
    prize_id   uuid REFERENCES lottery_prizes(id),
    coupon_id  uuid REFERENCES coupons(id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lottery_draws_lottery_idx ON lottery_draws (lottery_id, prize_id);

-- Gifts exchanged for points (积分兑礼), with stock.
CREATE TABLE gifts (
    id          uuid PRIMARY KEY,
    mall_id     uuid NOT NULL REFERENCES malls(id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    points_cost integer NOT NULL CHECK (points_cost > 0),
    stock       integer NOT NULL CHECK (stock >= 0),
    exchanged   integer NOT NULL DEFAULT 0 CHECK (exchanged >= 0),
    template_id uuid REFERENCES coupon_templates(id),   -- gift coupon whose code is redeemed at pickup
    CHECK (exchanged <= stock)
);

CREATE TABLE gift_exchanges (
    id         uuid PRIMARY KEY,
    gift_id    uuid NOT NULL REFERENCES gifts(id),
    member_id  uuid NOT NULL REFERENCES members(id),
    points     integer NOT NULL,
    coupon_id  uuid REFERENCES coupons(id),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE gift_exchanges, gifts, lottery_draws, lottery_prizes, lotteries, signins, signin_campaigns;
