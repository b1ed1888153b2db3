-- name: MustHaveCode :exec
-- Fails (division by zero) unless the code was written: the guard of a code queued in a batch that is
-- one implicit transaction (QueuedCode.QueueMustInsert), so that a numeric code taken writes nothing.
SELECT 1 / count(*) FROM redemption_codes WHERE id = @id;
