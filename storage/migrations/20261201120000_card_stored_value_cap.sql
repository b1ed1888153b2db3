-- +goose Up
-- Single-purpose prepaid card rules (单用途商业预付卡管理办法): a registered card (记名卡)
-- holds at most ¥5,000 of stored value, an anonymous one (不记名卡) at most ¥1,000.
-- registered: whether cards of the type are registered to a named member (every card
-- issued today is); stored_value_cap: the most stored value one card of the type may
-- hold, NULL for the default of its registration (members.StoredValueCap).
ALTER TABLE card_types
    ADD COLUMN registered       boolean NOT NULL DEFAULT true,
    ADD COLUMN stored_value_cap numeric(18,2) CHECK (stored_value_cap >= 0);

-- +goose Down
ALTER TABLE card_types DROP COLUMN stored_value_cap, DROP COLUMN registered;
