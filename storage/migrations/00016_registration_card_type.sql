-- +goose Up
-- The electronic membership card (电子会员卡) a member gets on registering: at most one
-- card type per group is issued automatically (mini-program, service desk, import).
ALTER TABLE card_types ADD COLUMN issue_on_registration boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX card_types_registration_idx ON card_types (group_id) WHERE issue_on_registration;

-- +goose Down
DROP INDEX card_types_registration_idx;
ALTER TABLE card_types DROP COLUMN issue_on_registration;
