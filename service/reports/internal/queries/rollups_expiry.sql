-- name: RollUpLotMoves :one
-- Adds the next lot moves after last_seq (identity order) to the points-expiry rollup:
-- each move's amount into its lot's group and business month of expiry (in tz). It
-- stops before the first move whose posting is not yet settled (created at or after
-- cutoff), so a move of a transaction still open when the batch was read is not skipped.
WITH batch AS (
    SELECT m.id, m.amount, a.group_id, l.expires_at, p.created_at
    FROM ledger_lot_moves m
    JOIN ledger_postings p ON p.id = m.posting_id
    JOIN ledger_lots l ON l.id = m.lot_id
    JOIN ledger_accounts a ON a.id = l.account_id
    WHERE m.id > sqlc.arg(last_seq)::bigint
    ORDER BY m.id
    LIMIT sqlc.arg(batch_size)::int
), taken AS (
    SELECT * FROM batch
    WHERE id < coalesce((SELECT min(id) FROM batch WHERE created_at >= sqlc.arg(cutoff)::timestamptz), 9223372036854775807)
), up AS (
    INSERT INTO report_points_expiry AS r (group_id, month, points)
    SELECT group_id, date_trunc('month', expires_at AT TIME ZONE sqlc.arg(tz)::text)::date, sum(amount)
    FROM taken
    GROUP BY 1, 2
    ON CONFLICT (group_id, month) DO UPDATE SET points = r.points + excluded.points
)
SELECT (SELECT count(*) FROM taken)::int AS n,
    coalesce((SELECT max(id) FROM taken), sqlc.arg(last_seq)::bigint)::bigint AS last_seq,
    coalesce((SELECT max(created_at) FROM taken), '1970-01-01 00:00:00+00')::timestamptz AS last_at;

-- name: PointsExpiryMonths :many
-- The rolled-up points of a group's live lots (available and pending) expiring in
-- each business month of [from_month, to_month].
SELECT month, points FROM report_points_expiry
WHERE group_id = @group_id AND month >= @from_month::date AND month <= @to_month::date
ORDER BY month;
