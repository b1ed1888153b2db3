-- +goose Up
-- The double-entry ledger for points, stored value (CNY) and count-card uses.
--
-- Accounts: per card ("card" = spendable, "card_pending" = points in their return
-- window) and per group for the system side (issuance, redeemed, expired, funding,
-- outside, merchant:<id>). Card accounts keep a cached balance, changed only by the
-- ledger in the posting's transaction with a conditional UPDATE; system accounts are
-- derived (sum of entries), so they never become hot rows.
CREATE TABLE ledger_accounts (
    id       uuid PRIMARY KEY,
    group_id uuid NOT NULL REFERENCES org_groups(id),
    kind     text NOT NULL,
    owner_id uuid NOT NULL,  -- card id, merchant id, or the nil uuid for group accounts
    asset    text NOT NULL CHECK (asset IN ('points', 'cny', 'uses')),
    cached   boolean NOT NULL,
    balance  numeric(18,2) NOT NULL DEFAULT 0,
    UNIQUE (group_id, kind, owner_id, asset)
);
CREATE INDEX ledger_accounts_owner_idx ON ledger_accounts (owner_id);

-- Postings are immutable: corrections are reversing postings.
CREATE TABLE ledger_postings (
    id         uuid PRIMARY KEY,
    group_id   uuid NOT NULL REFERENCES org_groups(id),
    kind       text NOT NULL,
    key        text NOT NULL UNIQUE,
    memo       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);

CREATE TABLE ledger_entries (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    posting_id uuid NOT NULL REFERENCES ledger_postings(id),
    account_id uuid NOT NULL REFERENCES ledger_accounts(id),
    asset      text NOT NULL,
    amount     numeric(18,2) NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, id);
CREATE INDEX ledger_entries_posting_idx ON ledger_entries (posting_id);

-- +goose StatementBegin
CREATE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are immutable (%): post a reversing entry instead', TG_TABLE_NAME;
END $$;
-- +goose StatementEnd
CREATE TRIGGER ledger_postings_immutable BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();

-- Points lots: each earning is a lot with an expiry; spending takes the earliest first.
-- A pending lot sits in the card_pending account until available_at.
CREATE TABLE ledger_lots (
    id           uuid PRIMARY KEY,
    account_id   uuid NOT NULL REFERENCES ledger_accounts(id),  -- the card's points account
    card_id      uuid NOT NULL,
    status       text NOT NULL CHECK (status IN ('pending', 'available', 'expired', 'moved')),
    amount       numeric(18,2) NOT NULL CHECK (amount > 0),
    remaining    numeric(18,2) NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
    available_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    posting_id   uuid NOT NULL REFERENCES ledger_postings(id),
    created_at   timestamptz NOT NULL
);
CREATE INDEX ledger_lots_spend_idx ON ledger_lots (card_id, expires_at, id) WHERE remaining > 0;
CREATE INDEX ledger_lots_expiry_idx ON ledger_lots (expires_at) WHERE status = 'available' AND remaining > 0;
CREATE INDEX ledger_lots_pending_idx ON ledger_lots (available_at) WHERE status = 'pending';

-- Every change of a lot's remaining points, tied to the posting that caused it.
CREATE TABLE ledger_lot_moves (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lot_id     uuid NOT NULL REFERENCES ledger_lots(id),
    posting_id uuid NOT NULL REFERENCES ledger_postings(id),
    amount     numeric(18,2) NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ledger_lot_moves_lot_idx ON ledger_lot_moves (lot_id);
CREATE INDEX ledger_lot_moves_posting_idx ON ledger_lot_moves (posting_id);

-- +goose Down
DROP TABLE ledger_lot_moves, ledger_lots, ledger_entries, ledger_postings, ledger_accounts;
DROP FUNCTION ledger_immutable;
