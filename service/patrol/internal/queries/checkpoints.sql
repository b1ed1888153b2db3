-- name: InsertCheckpoint :exec
INSERT INTO patrol_checkpoints (id, mall_id, tag, place) VALUES (@id, @mall_id, @tag, @place);

-- name: CheckpointsOfMall :many
SELECT id, mall_id, tag, place FROM patrol_checkpoints WHERE mall_id = @mall_id ORDER BY id;

-- name: CheckpointByTag :one
SELECT id FROM patrol_checkpoints WHERE mall_id = @mall_id AND tag = @tag;

-- name: InsertScan :exec
-- checkpoint_id NULL: a tag the mall does not know (kept all the same).
INSERT INTO patrol_scans (id, mall_id, device_id, badge, tag, checkpoint_id, at)
VALUES (@id, @mall_id, @device_id, @badge, @tag, sqlc.narg(checkpoint_id), @at);
