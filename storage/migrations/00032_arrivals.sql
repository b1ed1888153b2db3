-- +goose Up
-- Face recognition: a camera's face id mapped to a member who consented. Revoking the
-- consent (revoked_at) stops recognition.
CREATE TABLE member_faces (
    face_id    text PRIMARY KEY,
    member_id  uuid NOT NULL REFERENCES members(id),
    consent_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX member_faces_member_idx ON member_faces (member_id);

-- Recognised arrivals of consenting members (unknown faces are not recorded).
CREATE TABLE arrivals (
    id           uuid PRIMARY KEY,
    mall_id      uuid NOT NULL REFERENCES malls(id),
    device_id    text NOT NULL REFERENCES devices(id),
    member_id    uuid NOT NULL REFERENCES members(id),
    entrance     text NOT NULL DEFAULT '',
    at           timestamptz NOT NULL,
    vip          boolean NOT NULL,
    notified     boolean NOT NULL DEFAULT false,
    snapshot_key text,  -- object storage key of the snapshot
    snapshot_url text   -- or the camera's own URL
);
CREATE INDEX arrivals_mall_idx ON arrivals (mall_id, at);

-- The last VIP notification per member and mall: at most one per interval.
CREATE TABLE vip_notices (
    mall_id   uuid NOT NULL REFERENCES malls(id),
    member_id uuid NOT NULL REFERENCES members(id),
    last_at   timestamptz NOT NULL,
    PRIMARY KEY (mall_id, member_id)
);

-- Card-reader visits, accepted or refused (unknown, frozen, lost… cards).
CREATE TABLE visits (
    id           uuid PRIMARY KEY,
    mall_id      uuid NOT NULL REFERENCES malls(id),
    device_id    text NOT NULL REFERENCES devices(id),
    card_uid     text NOT NULL,
    card_id      uuid REFERENCES cards(id),
    member_id    uuid REFERENCES members(id),
    at           timestamptz NOT NULL,
    business_day date NOT NULL,
    result       text NOT NULL CHECK (result IN ('ok', 'refused')),
    reason       text NOT NULL DEFAULT ''
);
CREATE INDEX visits_mall_idx ON visits (mall_id, at);
CREATE INDEX visits_member_idx ON visits (member_id, at) WHERE member_id IS NOT NULL;

-- The sign-in points award: at most one per member per business day.
CREATE TABLE visit_awards (
    member_id    uuid NOT NULL REFERENCES members(id),
    business_day date NOT NULL,
    mall_id      uuid NOT NULL REFERENCES malls(id),
    visit_id     uuid NOT NULL REFERENCES visits(id),
    card_id      uuid NOT NULL REFERENCES cards(id),
    points       numeric(18,2) NOT NULL,
    posting_id   uuid,  -- the ledger posting, when points were posted
    PRIMARY KEY (member_id, business_day)
);

-- +goose Down
DROP TABLE visit_awards, visits, vip_notices, arrivals, member_faces;
