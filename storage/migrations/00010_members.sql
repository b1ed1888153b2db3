-- +goose Up
-- Member profiles (the identity row is created in 00001).
ALTER TABLE members
    ADD COLUMN name           text NOT NULL DEFAULT '',
    ADD COLUMN phone          text,
    ADD COLUMN gender         text NOT NULL DEFAULT 'unknown' CHECK (gender IN ('unknown', 'male', 'female')),
    ADD COLUMN birthday       date,
    ADD COLUMN anniversary    date,
    ADD COLUMN photo_key      text,
    ADD COLUMN tags           text[] NOT NULL DEFAULT '{}',
    ADD COLUMN source_channel text NOT NULL DEFAULT 'mini_program',
    ADD COLUMN referrer_id    uuid REFERENCES members(id),
    ADD COLUMN registered_at  timestamptz;
CREATE UNIQUE INDEX members_group_phone_idx ON members (group_id, phone) WHERE phone IS NOT NULL;

-- Card types (会员卡类型), configured per group.
CREATE TABLE card_types (
    id            uuid PRIMARY KEY,
    group_id      uuid NOT NULL REFERENCES org_groups(id),
    code          text NOT NULL,
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('stored_value', 'discount', 'count', 'points')),
    service_name  text,              -- count cards: the service the uses are for
    discount_rate numeric(5,4),      -- discount cards: e.g. 0.9000
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (group_id, code)
);

-- Member cards: physical (UID for card readers) or virtual; primary or supplementary.
CREATE TABLE cards (
    id              uuid PRIMARY KEY,
    group_id        uuid NOT NULL REFERENCES org_groups(id),
    member_id       uuid NOT NULL REFERENCES members(id),
    card_type_id    uuid NOT NULL REFERENCES card_types(id),
    number          text NOT NULL UNIQUE,
    uid             text UNIQUE,     -- physical card UID (IC/ID/magnetic), NULL for virtual cards
    status          text NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'lost', 'frozen', 'cancelled', 'replaced')),
    primary_card_id uuid REFERENCES cards(id),        -- supplementary cards spend from their primary
    spend_limit     numeric(18,2),                    -- supplementary: limit per business day
    issued_at       timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz,
    replaced_by     uuid REFERENCES cards(id)
);
CREATE INDEX cards_member_idx ON cards (member_id);

-- Where a member registered (the group is members.group_id), for reports and scope.
ALTER TABLE members ADD COLUMN registered_mall_id uuid REFERENCES malls(id);
CREATE INDEX members_group_idx ON members (group_id, id);
CREATE INDEX members_tags_idx ON members USING gin (tags);
CREATE INDEX cards_primary_idx ON cards (primary_card_id) WHERE primary_card_id IS NOT NULL;

-- Every card operation (issue, loss, freeze, reissue, transfer, cancel…): who, why, from → to.
CREATE TABLE card_events (
    id            uuid PRIMARY KEY,
    card_id       uuid NOT NULL REFERENCES cards(id),
    group_id      uuid NOT NULL REFERENCES org_groups(id),
    action        text NOT NULL,
    from_status   text,
    to_status     text NOT NULL,
    operator_kind text NOT NULL,
    operator_id   uuid,
    reason        text NOT NULL DEFAULT '',
    details       jsonb NOT NULL DEFAULT '{}',
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX card_events_card_idx ON card_events (card_id, at);

-- +goose Down
DROP TABLE card_events;
DROP INDEX cards_primary_idx, members_tags_idx, members_group_idx;
ALTER TABLE members DROP COLUMN registered_mall_id;
DROP TABLE cards, card_types;
ALTER TABLE members DROP COLUMN name, DROP COLUMN phone, DROP COLUMN gender, DROP COLUMN birthday,
    DROP COLUMN anniversary, DROP COLUMN photo_key, DROP COLUMN tags, DROP COLUMN source_channel,
    DROP COLUMN referrer_id, DROP COLUMN registered_at;
