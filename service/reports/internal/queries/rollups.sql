-- name: LockWatermark :one
-- The watermark of a source, locked for the rest of the transaction (one roll-up of a
-- source at a time).
SELECT * FROM report_watermarks WHERE source = @source FOR UPDATE;

-- name: AdvanceWatermark :exec
UPDATE report_watermarks SET last_at = @last_at, last_key = @last_key, last_seq = @last_seq, as_of = @as_of,
    updated_at = @updated_at
WHERE source = @source;

-- name: Watermark :one
SELECT * FROM report_watermarks WHERE source = @source;

-- name: RollUpCardEvents :one
-- Adds the next card events after (last_at, last_key) and before cutoff (at most
-- batch_size) to the monthly card rollup; returns how many and the last one.
WITH batch AS (
    SELECT e.id, e.at, e.action, e.group_id, e.details, c.card_type_id,
        coalesce(m.registered_mall_id, '00000000-0000-0000-0000-000000000000'::uuid) AS mall_id,
        coalesce(m.tier_id, '00000000-0000-0000-0000-000000000000'::uuid) AS tier_id,
        coalesce(ml.time_zone, sqlc.arg(tz)::text) AS tz
    FROM card_events e
    JOIN cards c ON c.id = e.card_id
    JOIN members m ON m.id = c.member_id
    LEFT JOIN malls ml ON ml.id = m.registered_mall_id
    WHERE (e.at, e.id) > (sqlc.arg(last_at)::timestamptz, sqlc.arg(last_key)::uuid) AND e.at < sqlc.arg(cutoff)::timestamptz
    ORDER BY e.at, e.id
    LIMIT sqlc.arg(batch_size)::int
), up AS (
    INSERT INTO report_card_months AS r (group_id, mall_id, month, card_type_id, tier_id, issued, renewed, cancelled)
    SELECT group_id, mall_id, date_trunc('month', at AT TIME ZONE tz)::date, card_type_id, tier_id,
        count(*) FILTER (WHERE action = 'issue' AND NOT details ? 'replaces'),
        count(*) FILTER (WHERE action = 'reissue'),
        count(*) FILTER (WHERE action = 'cancel')
    FROM batch WHERE action IN ('issue', 'reissue', 'cancel')
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (group_id, mall_id, month, card_type_id, tier_id) DO UPDATE
    SET issued = r.issued + excluded.issued, renewed = r.renewed + excluded.renewed,
        cancelled = r.cancelled + excluded.cancelled
)
SELECT (SELECT count(*) FROM batch)::int AS n,
    coalesce((SELECT at FROM batch ORDER BY at DESC, id DESC LIMIT 1), sqlc.arg(last_at)::timestamptz)::timestamptz AS last_at,
    coalesce((SELECT id FROM batch ORDER BY at DESC, id DESC LIMIT 1), sqlc.arg(last_key)::uuid)::uuid AS last_key;

-- name: RollUpPurchases :one
-- Adds the next purchases after (last_at, last_key) and before cutoff to the monthly
-- consumption rollup (the mall's business month, weekday and hour).
WITH batch AS (
    SELECT p.id, p.created_at, p.group_id, p.mall_id, p.merchant_id, p.amount, me.category, ml.time_zone AS tz
    FROM loyalty_purchases p
    JOIN malls ml ON ml.id = p.mall_id
    JOIN merchants me ON me.id = p.merchant_id
    WHERE (p.created_at, p.id) > (sqlc.arg(last_at)::timestamptz, sqlc.arg(last_key)::uuid)
        AND p.created_at < sqlc.arg(cutoff)::timestamptz
    ORDER BY p.created_at, p.id
    LIMIT sqlc.arg(batch_size)::int
), up AS (
    INSERT INTO report_consumption_months AS r (group_id, mall_id, month, weekday, hour, merchant_id, category, purchases, amount)
    SELECT group_id, mall_id, date_trunc('month', created_at AT TIME ZONE tz)::date,
        extract(isodow FROM created_at AT TIME ZONE tz)::smallint,
        extract(hour FROM created_at AT TIME ZONE tz)::smallint, merchant_id, category, count(*), sum(amount)
    FROM batch
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (group_id, mall_id, month, weekday, hour, merchant_id) DO UPDATE
    SET purchases = r.purchases + excluded.purchases, amount = r.amount + excluded.amount
)
SELECT (SELECT count(*) FROM batch)::int AS n,
    coalesce((SELECT created_at FROM batch ORDER BY created_at DESC, id DESC LIMIT 1), sqlc.arg(last_at)::timestamptz)::timestamptz AS last_at,
    coalesce((SELECT id FROM batch ORDER BY created_at DESC, id DESC LIMIT 1), sqlc.arg(last_key)::uuid)::uuid AS last_key;

-- name: RollUpRefunds :one
-- Adds the next refunds after (last_at, last_key) and before cutoff to the monthly
-- consumption rollup, on the refund's own month, weekday and hour and its purchase's
-- merchant.
WITH batch AS (
    SELECT f.id, f.created_at, p.group_id, p.mall_id, p.merchant_id, f.amount, me.category, ml.time_zone AS tz
    FROM loyalty_refunds f
    JOIN loyalty_purchases p ON p.id = f.purchase_id
    JOIN malls ml ON ml.id = p.mall_id
    JOIN merchants me ON me.id = p.merchant_id
    WHERE (f.created_at, f.id) > (sqlc.arg(last_at)::timestamptz, sqlc.arg(last_key)::uuid)
        AND f.created_at < sqlc.arg(cutoff)::timestamptz
    ORDER BY f.created_at, f.id
    LIMIT sqlc.arg(batch_size)::int
), up AS (
    INSERT INTO report_consumption_months AS r (group_id, mall_id, month, weekday, hour, merchant_id, category, refunds, refunded)
    SELECT group_id, mall_id, date_trunc('month', created_at AT TIME ZONE tz)::date,
        extract(isodow FROM created_at AT TIME ZONE tz)::smallint,
        extract(hour FROM created_at AT TIME ZONE tz)::smallint, merchant_id, category, count(*), sum(amount)
    FROM batch
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (group_id, mall_id, month, weekday, hour, merchant_id) DO UPDATE
    SET refunds = r.refunds + excluded.refunds, refunded = r.refunded + excluded.refunded
)
SELECT (SELECT count(*) FROM batch)::int AS n,
    coalesce((SELECT created_at FROM batch ORDER BY created_at DESC, id DESC LIMIT 1), sqlc.arg(last_at)::timestamptz)::timestamptz AS last_at,
    coalesce((SELECT id FROM batch ORDER BY created_at DESC, id DESC LIMIT 1), sqlc.arg(last_key)::uuid)::uuid AS last_key;

-- name: RollUpPoints :one
-- Adds the next ledger entries after last_seq (identity order) to the monthly points
-- rollup: entries of card and card_pending points accounts. It stops before the first
-- entry whose posting is not yet settled (created at or after cutoff), so an entry of a
-- transaction still open when the batch was read is not skipped.
WITH batch AS (
    SELECT e.id, e.amount, e.asset, a.kind, a.group_id, p.created_at
    FROM ledger_entries e
    JOIN ledger_postings p ON p.id = e.posting_id
    JOIN ledger_accounts a ON a.id = e.account_id
    WHERE e.id > sqlc.arg(last_seq)::bigint
    ORDER BY e.id
    LIMIT sqlc.arg(batch_size)::int
), taken AS (
    SELECT * FROM batch
    WHERE id < coalesce((SELECT min(id) FROM batch WHERE created_at >= sqlc.arg(cutoff)::timestamptz), 9223372036854775807)
), up AS (
    INSERT INTO report_points_months AS r (group_id, month, available, pending)
    SELECT group_id, date_trunc('month', created_at AT TIME ZONE sqlc.arg(tz)::text)::date,
        coalesce(sum(amount) FILTER (WHERE kind = 'card'), 0), coalesce(sum(amount) FILTER (WHERE kind = 'card_pending'), 0)
    FROM taken WHERE asset = 'points' AND kind IN ('card', 'card_pending')
    GROUP BY 1, 2
    ON CONFLICT (group_id, month) DO UPDATE
    SET available = r.available + excluded.available, pending = r.pending + excluded.pending
)
SELECT (SELECT count(*) FROM taken)::int AS n,
    coalesce((SELECT max(id) FROM taken), sqlc.arg(last_seq)::bigint)::bigint AS last_seq,
    coalesce((SELECT max(created_at) FROM taken), '1970-01-01 00:00:00+00')::timestamptz AS last_at;
