-- name: InsertExport :one
INSERT INTO exports (id, group_id, mall_id, kind, filter, status, created_by, file_name, created_at)
VALUES (@id, @group_id, @mall_id, @kind, @filter, 'QUEUED', @created_by, @file_name, @created_at)
RETURNING *;

-- name: Export :one
SELECT * FROM exports WHERE id = @id;

-- name: StartExportRun :one
-- Claims a queued (or a retried running) export for its job; 0 rows when it was
-- cancelled or has finished.
UPDATE exports SET status = 'RUNNING', started_at = coalesce(started_at, @at::timestamptz), rows_done = 0,
    rows_total = @rows_total, read_replica = @read_replica, replica_lag_ms = sqlc.narg(replica_lag_ms)
WHERE id = @id AND status IN ('QUEUED', 'RUNNING')
RETURNING *;

-- name: ExportProgress :one
-- Records rows written; returns the status so the job sees a cancellation.
UPDATE exports SET rows_done = @rows_done WHERE id = @id AND status = 'RUNNING'
RETURNING status;

-- name: FinishExport :one
UPDATE exports SET status = 'DONE', rows_done = @rows_done, object_key = @object_key, size_bytes = @size_bytes,
    finished_at = @at, expires_at = @expires_at
WHERE id = @id AND status = 'RUNNING'
RETURNING *;

-- name: FailExport :one
UPDATE exports SET status = 'FAILED', error = @error, finished_at = @at
WHERE id = @id AND status IN ('QUEUED', 'RUNNING')
RETURNING *;

-- name: CancelExport :one
UPDATE exports SET status = 'CANCELLED', finished_at = @at
WHERE id = @id AND status IN ('QUEUED', 'RUNNING')
RETURNING *;

-- name: ExportsOfMall :many
-- A mall's exports, newest first: all of them (admins) or the caller's own.
SELECT * FROM exports
WHERE group_id = @group_id AND mall_id = @mall_id
  AND (sqlc.narg(created_by)::uuid IS NULL OR created_by = sqlc.narg(created_by)::uuid)
  AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
ORDER BY id DESC
LIMIT @lim;

-- name: ExpiredExports :many
-- Done exports past their expiry, oldest first (the cleanup job's batch).
SELECT * FROM exports WHERE status = 'DONE' AND expires_at <= @now ORDER BY expires_at LIMIT @lim;

-- name: MarkExportExpired :execrows
UPDATE exports SET status = 'EXPIRED', object_key = NULL WHERE id = @id AND status = 'DONE';
