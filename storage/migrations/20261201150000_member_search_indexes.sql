-- +goose NO TRANSACTION
-- +goose Up
-- Staff member search by the beginning of a phone number (issue 11): members_group_phone_idx
-- orders phones by the database's collation (C.UTF-8), which no range of a prefix can
-- use; this index orders them byte by byte, serving SearchMembersByPhonePrefix's
-- "phone COLLATE "C" >= prefix AND < prefix || ':'" for any prefix, also in a generic
-- plan. Whole numbers keep members_group_phone_idx, card numbers cards_number_key.
-- Built CONCURRENTLY: members keep registering while it builds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS members_group_phone_c_idx
    ON members (group_id, phone COLLATE "C") INCLUDE (id) WHERE phone IS NOT NULL;

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS members_group_phone_c_idx;
