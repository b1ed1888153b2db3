-- +goose Up
-- Gift warehouse (礼品仓库, issue 15 point 5): item categories and items, warehouses per
-- mall, suppliers, purchase orders received with counted quantities, stock-out with a
-- reason, transfers between a mall's warehouses, stocktakes approved by a second person,
-- and the stock ledger: every movement a row with its running balance and idempotency
-- key. wh_stock holds the balance per item and warehouse (quantity and value at moving
-- average cost, in fen); its CHECKs keep stock from going negative whatever the code does.
CREATE TABLE wh_categories (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL,
    mall_id    uuid NOT NULL REFERENCES malls (id),
    parent_id  uuid REFERENCES wh_categories (id),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    UNIQUE (group_id, mall_id, name)
);

CREATE TABLE wh_items (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL REFERENCES malls (id),
    category_id uuid NOT NULL REFERENCES wh_categories (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    unit        text NOT NULL CHECK (length(unit) BETWEEN 1 AND 20),
    barcode     text CHECK (length(barcode) BETWEEN 1 AND 64),
    UNIQUE (group_id, mall_id, barcode)
);

CREATE TABLE wh_warehouses (
    id       uuid PRIMARY KEY,
    group_id uuid NOT NULL,
    mall_id  uuid NOT NULL REFERENCES malls (id),
    code     text NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    UNIQUE (group_id, mall_id, code)
);

CREATE TABLE wh_suppliers (
    id       uuid PRIMARY KEY,
    group_id uuid NOT NULL,
    mall_id  uuid NOT NULL REFERENCES malls (id),
    name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    contact  text NOT NULL DEFAULT '',
    phone    text NOT NULL DEFAULT '',
    UNIQUE (group_id, mall_id, name)
);

CREATE TABLE wh_purchase_orders (
    id           uuid PRIMARY KEY,
    group_id     uuid NOT NULL,
    mall_id      uuid NOT NULL REFERENCES malls (id),
    warehouse_id uuid NOT NULL REFERENCES wh_warehouses (id),
    supplier_id  uuid NOT NULL REFERENCES wh_suppliers (id),
    status       text NOT NULL CHECK (status IN ('draft', 'approved', 'partially_received', 'received', 'cancelled')),
    note         text NOT NULL DEFAULT '',
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    approved_by  text,
    approved_at  timestamptz
);
CREATE INDEX wh_purchase_orders_mall_idx ON wh_purchase_orders (group_id, mall_id, created_at);

CREATE TABLE wh_po_lines (
    id            uuid PRIMARY KEY,
    po_id         uuid NOT NULL REFERENCES wh_purchase_orders (id),
    line_no       integer NOT NULL,
    item_id       uuid NOT NULL REFERENCES wh_items (id),
    ordered       integer NOT NULL CHECK (ordered > 0),
    unit_cost_fen bigint NOT NULL CHECK (unit_cost_fen >= 0),
    received      integer NOT NULL DEFAULT 0 CHECK (received >= 0),
    UNIQUE (po_id, line_no),
    UNIQUE (po_id, item_id)
);

-- A stock-in against a purchase order: per line the counted quantity and how it differs
-- from what was still due (short: counted < due, over: counted > due).
CREATE TABLE wh_receipts (
    id          uuid PRIMARY KEY,
    group_id    uuid NOT NULL,
    mall_id     uuid NOT NULL,
    po_id       uuid NOT NULL REFERENCES wh_purchase_orders (id),
    received_by text NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE TABLE wh_receipt_lines (
    receipt_id    uuid NOT NULL REFERENCES wh_receipts (id),
    po_line_id    uuid NOT NULL REFERENCES wh_po_lines (id),
    due           integer NOT NULL,
    counted       integer NOT NULL CHECK (counted >= 0),
    unit_cost_fen bigint NOT NULL CHECK (unit_cost_fen >= 0),
    PRIMARY KEY (receipt_id, po_line_id)
);

CREATE TABLE wh_stock (
    group_id     uuid NOT NULL,
    mall_id      uuid NOT NULL,
    warehouse_id uuid NOT NULL REFERENCES wh_warehouses (id),
    item_id      uuid NOT NULL REFERENCES wh_items (id),
    quantity     integer NOT NULL CHECK (quantity >= 0),
    value_fen    bigint NOT NULL CHECK (value_fen >= 0),
    moves        bigint NOT NULL CHECK (moves > 0),      -- seq of the last movement
    PRIMARY KEY (warehouse_id, item_id),
    CHECK (quantity > 0 OR value_fen = 0)
);

-- The stock ledger: one row per movement of an item in a warehouse, never updated.
CREATE TABLE wh_movements (
    id              uuid PRIMARY KEY,
    group_id        uuid NOT NULL,
    mall_id         uuid NOT NULL,
    warehouse_id    uuid NOT NULL REFERENCES wh_warehouses (id),
    item_id         uuid NOT NULL REFERENCES wh_items (id),
    seq             bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('receipt', 'issue', 'transfer_out', 'transfer_in', 'adjustment')),
    quantity        integer NOT NULL CHECK (quantity <> 0),
    value_fen       bigint NOT NULL,
    balance         integer NOT NULL CHECK (balance >= 0),
    balance_fen     bigint NOT NULL CHECK (balance_fen >= 0),
    reason          text NOT NULL DEFAULT '',
    ref_id          uuid NOT NULL,
    idempotency_key text NOT NULL,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL,
    UNIQUE (warehouse_id, item_id, seq),
    UNIQUE (group_id, mall_id, warehouse_id, idempotency_key)
);
CREATE INDEX wh_movements_ref_idx ON wh_movements (ref_id);

-- A stock-out (出库: internal pick-up, gift exchange, loss…) and a transfer between two
-- warehouses of a mall (out of one and into the other in one transaction); their lines
-- are their movements (ref_id).
CREATE TABLE wh_issues (
    id           uuid PRIMARY KEY,
    group_id     uuid NOT NULL,
    mall_id      uuid NOT NULL,
    warehouse_id uuid NOT NULL REFERENCES wh_warehouses (id),
    reason       text NOT NULL CHECK (reason IN ('gift_exchange', 'internal_use', 'event', 'damaged', 'lost', 'returned_to_supplier', 'other')),
    note         text NOT NULL DEFAULT '',
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE TABLE wh_transfers (
    id                uuid PRIMARY KEY,
    group_id          uuid NOT NULL,
    mall_id           uuid NOT NULL,
    from_warehouse_id uuid NOT NULL REFERENCES wh_warehouses (id),
    to_warehouse_id   uuid NOT NULL REFERENCES wh_warehouses (id),
    note              text NOT NULL DEFAULT '',
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL,
    CHECK (from_warehouse_id <> to_warehouse_id)
);

CREATE TABLE wh_stocktakes (
    id           uuid PRIMARY KEY,
    group_id     uuid NOT NULL,
    mall_id      uuid NOT NULL,
    warehouse_id uuid NOT NULL REFERENCES wh_warehouses (id),
    status       text NOT NULL CHECK (status IN ('counting', 'submitted', 'approved', 'rejected')),
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    submitted_by text,
    decided_by   text,
    decided_at   timestamptz,
    CHECK (decided_by IS NULL OR decided_by <> submitted_by)
);
-- One count per item: expected is the book quantity when the count was recorded.
CREATE TABLE wh_stocktake_lines (
    stocktake_id uuid NOT NULL REFERENCES wh_stocktakes (id),
    item_id      uuid NOT NULL REFERENCES wh_items (id),
    expected     integer NOT NULL,
    counted      integer NOT NULL CHECK (counted >= 0),
    PRIMARY KEY (stocktake_id, item_id)
);

-- A gift (campaigns) may be stocked in a warehouse: the exchange then issues one unit.
ALTER TABLE gifts ADD COLUMN warehouse_id uuid REFERENCES wh_warehouses (id),
    ADD COLUMN wh_item_id uuid REFERENCES wh_items (id),
    ADD CHECK ((warehouse_id IS NULL) = (wh_item_id IS NULL));

-- +goose Down
ALTER TABLE gifts DROP COLUMN warehouse_id, DROP COLUMN wh_item_id;
DROP TABLE wh_stocktake_lines, wh_stocktakes, wh_transfers, wh_issues, wh_movements, wh_stock, wh_receipt_lines, wh_receipts, wh_po_lines,
    wh_purchase_orders, wh_suppliers, wh_warehouses, wh_items, wh_categories;
