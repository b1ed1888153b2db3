-- +goose Up
-- The brand library (品牌库) of a group and the 招商 pipeline of its malls (context
-- brands). A brand's name is unique in its group after normalisation (brands.Normalize):
-- the unique index decides between concurrent creates. Units and contracts belong to the
-- leasing context: prospects name them by id only (no foreign keys across contexts that
-- are built apart; the lead wires ContractsOfBrand).
CREATE TABLE brands (
    id              uuid PRIMARY KEY,
    group_id        uuid NOT NULL REFERENCES org_groups(id),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    normalized_name text NOT NULL CHECK (normalized_name <> ''),
    category        text NOT NULL CHECK (category IN ('dining', 'retail', 'apparel', 'entertainment', 'kids',
                                                       'services', 'supermarket', 'other')),
    grade           text NOT NULL CHECK (grade IN ('A', 'B', 'C')),
    notes           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX brands_group_normalized_key ON brands (group_id, normalized_name);
-- Prefix search on the normalised name (LIKE 'x%').
CREATE INDEX brands_group_prefix_idx ON brands (group_id, normalized_name text_pattern_ops);
CREATE INDEX brands_group_id_idx ON brands (group_id, id);

CREATE TABLE brand_contacts (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    brand_id   uuid NOT NULL REFERENCES brands(id),
    name       text NOT NULL,
    role       text NOT NULL DEFAULT '',
    phone      text NOT NULL DEFAULT '',
    email      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);
CREATE INDEX brand_contacts_brand_idx ON brand_contacts (group_id, brand_id, id);

-- Files attached to a brand (decks, licences, photos) in object storage.
CREATE TABLE brand_attachments (
    id           uuid PRIMARY KEY,
    group_id     uuid NOT NULL REFERENCES org_groups(id),
    brand_id     uuid NOT NULL REFERENCES brands(id),
    object_key   text NOT NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    created_at   timestamptz NOT NULL,
    UNIQUE (group_id, object_key)
);
CREATE INDEX brand_attachments_brand_idx ON brand_attachments (group_id, brand_id, id);

-- A prospect: a brand wanted in a mall (area or units), owned by a leasing staff member,
-- moving through the stages of the pipeline.
CREATE TABLE brand_prospects (
    id              uuid PRIMARY KEY,
    group_id        uuid NOT NULL REFERENCES org_groups(id),
    mall_id         uuid NOT NULL REFERENCES malls(id),
    brand_id        uuid NOT NULL REFERENCES brands(id),
    wanted_area     numeric(12,2) CHECK (wanted_area > 0),
    wanted_unit_ids uuid[] NOT NULL DEFAULT '{}', -- leasing units, by id only
    owner_staff_id  uuid NOT NULL REFERENCES staff(id),
    stage           text NOT NULL CHECK (stage IN ('lead', 'visited', 'negotiating', 'loi', 'contract', 'won', 'lost')),
    lost_reason     text,
    lost_note       text NOT NULL DEFAULT '',
    contract_id     uuid, -- the leasing contract, by id only
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK ((stage = 'lost') = (lost_reason IS NOT NULL)),
    CHECK (wanted_area IS NOT NULL OR cardinality(wanted_unit_ids) > 0)
);
CREATE INDEX brand_prospects_mall_idx ON brand_prospects (group_id, mall_id, id);
CREATE INDEX brand_prospects_brand_idx ON brand_prospects (group_id, brand_id);
CREATE INDEX brand_prospects_mall_created_idx ON brand_prospects (group_id, mall_id, created_at);

-- Every stage a prospect entered (its creation as a lead included), when and by whom.
CREATE TABLE brand_prospect_stages (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL REFERENCES org_groups(id),
    mall_id        uuid NOT NULL REFERENCES malls(id),
    prospect_id    uuid NOT NULL REFERENCES brand_prospects(id),
    from_stage     text,
    to_stage       text NOT NULL,
    at             timestamptz NOT NULL,
    actor_staff_id uuid -- NULL: a job or the seed
);
CREATE INDEX brand_prospect_stages_prospect_idx ON brand_prospect_stages (group_id, mall_id, prospect_id, at);

CREATE TABLE brand_follow_ups (
    id             uuid PRIMARY KEY,
    group_id       uuid NOT NULL REFERENCES org_groups(id),
    mall_id        uuid NOT NULL REFERENCES malls(id),
    prospect_id    uuid NOT NULL REFERENCES brand_prospects(id),
    kind           text NOT NULL CHECK (kind IN ('call', 'visit', 'meeting', 'email')),
    note           text NOT NULL,
    next_on        date,
    by_staff_id    uuid,
    at             timestamptz NOT NULL
);
CREATE INDEX brand_follow_ups_prospect_idx ON brand_follow_ups (group_id, mall_id, prospect_id, at);

-- +goose Down
DROP TABLE brand_follow_ups;
DROP TABLE brand_prospect_stages;
DROP TABLE brand_prospects;
DROP TABLE brand_attachments;
DROP TABLE brand_contacts;
DROP TABLE brands;
