-- +goose Up
-- Flash sales without a hot row (issue 11). Every coupon of a template holds one of the
-- template's slots 1..slots, unique per template: the database itself proves that no
-- template issues more than it may, whatever the Redis gate says. A claim no longer
-- updates its template: the issued count is kept in coupon_issue_counts, sharded by
-- slot (slot % 16), so claims committing together touch different rows; budget_used is
-- the count times the face value (both never change once a template exists), and the
-- gate's epoch gives way to slot conflicts (see service/coupons/gate.go).

-- slots: how many coupons the template may ever issue, by stock and by budget.
ALTER TABLE coupon_templates ADD COLUMN slots integer GENERATED ALWAYS AS (
    CASE WHEN budget_cap IS NOT NULL AND face_value > 0
        THEN least(total_stock::numeric, floor(budget_cap / face_value))::integer
        ELSE total_stock END) STORED;
-- outside_slot: where an issue outside the gate (campaigns, segments) looks down from
-- for a free slot next; NULL: from the top (slots).
ALTER TABLE coupon_templates ADD COLUMN outside_slot integer;

ALTER TABLE coupons ADD COLUMN slot integer;
UPDATE coupons c SET slot = x.n
FROM (SELECT id, row_number() OVER (PARTITION BY template_id ORDER BY created_at, id) AS n FROM coupons) x
WHERE x.id = c.id;
ALTER TABLE coupons ALTER COLUMN slot SET NOT NULL,
    ADD CONSTRAINT coupons_slot_check CHECK (slot > 0),
    ADD CONSTRAINT coupons_template_slot_key UNIQUE (template_id, slot);

-- Coupons issued per template, in shards (slot % 16); a template's count is their sum.
-- Keyed like its template (which belongs to one mall); no group_id, as no coupons table has one.
CREATE TABLE coupon_issue_counts (
    mall_id     uuid NOT NULL REFERENCES malls(id),
    template_id uuid NOT NULL REFERENCES coupon_templates(id),
    shard       smallint NOT NULL CHECK (shard >= 0),
    issued      integer NOT NULL CHECK (issued > 0),
    PRIMARY KEY (mall_id, template_id, shard)
);
INSERT INTO coupon_issue_counts (mall_id, template_id, shard, issued)
SELECT t.mall_id, c.template_id, c.slot % 16, count(*)
FROM coupons c JOIN coupon_templates t ON t.id = c.template_id
GROUP BY t.mall_id, c.template_id, c.slot % 16;

ALTER TABLE coupon_templates DROP COLUMN claimed_count, DROP COLUMN budget_used, DROP COLUMN gate_epoch;

-- +goose Down
ALTER TABLE coupon_templates ADD COLUMN claimed_count integer NOT NULL DEFAULT 0 CHECK (claimed_count >= 0),
    ADD COLUMN budget_used numeric(18,2) NOT NULL DEFAULT 0 CHECK (budget_used >= 0),
    ADD COLUMN gate_epoch bigint NOT NULL DEFAULT 0;
UPDATE coupon_templates t SET claimed_count = n.issued, budget_used = n.issued * t.face_value
FROM (SELECT template_id, sum(issued)::integer AS issued FROM coupon_issue_counts GROUP BY template_id) n
WHERE n.template_id = t.id;
ALTER TABLE coupon_templates ADD CHECK (claimed_count <= total_stock),
    ADD CHECK (budget_cap IS NULL OR budget_used <= budget_cap);
DROP TABLE coupon_issue_counts;
ALTER TABLE coupons DROP COLUMN slot;
ALTER TABLE coupon_templates DROP COLUMN outside_slot, DROP COLUMN slots;
