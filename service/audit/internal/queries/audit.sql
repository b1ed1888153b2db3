-- name: InsertEntry :exec
INSERT INTO audit_log (id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details)
VALUES (@id, @at, @actor_kind, sqlc.narg(actor_id), @action, @entity_type, sqlc.narg(entity_id), sqlc.narg(mall_id),
        @reason, @details);

-- name: EntriesOf :many
SELECT id, at, actor_kind, actor_id, action, entity_type, entity_id, mall_id, reason, details
FROM audit_log
WHERE entity_type = @entity_type AND entity_id = @entity_id
ORDER BY at, id;
