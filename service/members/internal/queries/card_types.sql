-- Card types (会员卡类型) of a group.

-- name: InsertCardType :one
INSERT INTO card_types (id, group_id, code, name, kind, service_name, discount_rate, issue_on_registration,
                        registered, stored_value_cap)
VALUES (@id, @group_id, @code, @name, @kind, nullif(@service_name::text, ''), sqlc.narg(discount_rate),
        @issue_on_registration, @registered, sqlc.narg(stored_value_cap))
RETURNING created_at;

-- name: CardTypeByID :one
SELECT * FROM card_types WHERE id = @id;

-- name: CardTypesByIDs :many
SELECT * FROM card_types WHERE id = ANY(@ids::uuid[]);

-- name: CardTypesOfGroup :many
SELECT * FROM card_types WHERE group_id = @group_id ORDER BY code;

-- name: CardTypeInGroup :one
SELECT EXISTS (SELECT 1 FROM card_types WHERE id = @id AND group_id = @group_id);

-- name: RegistrationCardType :one
-- The group's electronic card type, issued on registration (at most one per group).
SELECT id FROM card_types WHERE group_id = @group_id AND issue_on_registration;

-- name: CardTypeForUpdate :one
SELECT * FROM card_types WHERE id = @id FOR UPDATE;

-- name: SetCardTypeStoredValue :exec
-- The stored-value rules of a card type (NULL cap: the default of its registration).
UPDATE card_types SET registered = @registered, stored_value_cap = sqlc.narg(stored_value_cap) WHERE id = @id;
