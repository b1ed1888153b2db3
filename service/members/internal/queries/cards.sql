-- Cards: every read returns the card with its type's kind and stored-value rules
-- (sqlc.embed(c), t.kind, t.registered, t.stored_value_cap).

-- name: CardByID :one
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.id = @id;

-- name: CardByIDForShare :one
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.id = @id FOR SHARE OF c;

-- name: CardByIDForUpdate :one
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.id = @id FOR UPDATE OF c;

-- name: CardByNumber :one
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.number = @number;

-- name: CardByNumberInGroup :one
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.number = @number AND c.group_id = @group_id;

-- name: PrimaryCardByNumberInGroupForShare :one
-- A primary card by number in a group, locked FOR SHARE by the statement that finds it.
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.number = @number AND c.group_id = @group_id AND c.primary_card_id IS NULL FOR SHARE OF c;

-- name: SupplementaryCardByNumberInGroupForUpdate :one
-- A supplementary card by number in a group, locked FOR UPDATE by the statement that finds it.
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.number = @number AND c.group_id = @group_id AND c.primary_card_id IS NOT NULL FOR UPDATE OF c;

-- name: CardByUID :one
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.uid = @uid::text;

-- name: DefaultCardInGroup :one
-- The member's oldest active primary card in a group (by issue time).
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.member_id = @member_id AND c.group_id = @group_id AND c.status = @status AND c.primary_card_id IS NULL
ORDER BY c.issued_at, c.id LIMIT 1;

-- name: DefaultCardInGroupForShare :one
-- DefaultCardInGroup locked FOR SHARE by the statement that finds it.
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.member_id = @member_id AND c.group_id = @group_id AND c.status = @status AND c.primary_card_id IS NULL
ORDER BY c.issued_at, c.id LIMIT 1 FOR SHARE OF c;

-- name: DefaultCard :one
-- The member's first active primary card (by id).
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.member_id = @member_id AND c.status = @status AND c.primary_card_id IS NULL
ORDER BY c.id LIMIT 1;

-- name: StoredValueCardsInGroup :many
-- The member's active primary cards in a group whose kind holds stored value, oldest
-- first (by issue time).
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.member_id = @member_id AND c.group_id = @group_id AND c.status = @status AND c.primary_card_id IS NULL
  AND t.kind = ANY(@kinds::text[])
ORDER BY c.issued_at, c.id;

-- name: CardsOfMembers :many
SELECT sqlc.embed(c), t.kind, t.registered, t.stored_value_cap FROM cards c JOIN card_types t ON t.id = c.card_type_id
WHERE c.member_id = ANY(@member_ids::uuid[])
ORDER BY c.id;

-- name: InsertCard :exec
INSERT INTO cards (id, group_id, member_id, card_type_id, number, uid, status, primary_card_id, spend_limit,
                   issued_at, expires_at)
VALUES (@id, @group_id, @member_id, @card_type_id, @number, nullif(@uid::text, ''), @status,
        sqlc.narg(primary_card_id), sqlc.narg(spend_limit), @issued_at, sqlc.narg(expires_at));

-- name: SetCardStatus :exec
UPDATE cards SET status = @status WHERE id = @id;

-- name: ReplaceCard :exec
UPDATE cards SET status = @status, replaced_by = @replaced_by::uuid WHERE id = @id;

-- name: MoveSupplementaries :exec
-- Hangs the supplementary cards of a replaced card under its successor.
UPDATE cards SET primary_card_id = @new_primary::uuid WHERE primary_card_id = @old_primary::uuid;

-- name: SetCardMember :exec
UPDATE cards SET member_id = @member_id WHERE id = @id;

-- name: HasLiveSupplementaries :one
-- Whether a primary card still has supplementary cards in one of the live statuses.
SELECT EXISTS (SELECT 1 FROM cards WHERE primary_card_id = @id::uuid AND status = ANY(@live::text[]));

-- name: HasActivePrimaryCard :one
SELECT EXISTS (SELECT 1 FROM cards WHERE member_id = @member_id AND status = @status AND primary_card_id IS NULL);

-- name: InsertCardEvent :exec
INSERT INTO card_events (id, card_id, group_id, action, from_status, to_status, operator_kind, operator_id, reason,
                         details, at)
VALUES (@id, @card_id, @group_id, @action, sqlc.narg(from_status), @to_status, @operator_kind, sqlc.narg(operator_id),
        @reason, @details, @at);
