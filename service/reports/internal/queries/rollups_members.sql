-- name: RollUpMembers :one
-- Adds the next registered members after (last_at, last_key) by registered_at and
-- before cutoff (at most batch_size) to the monthly member rollup (registration mall,
-- tier when rolled up); returns how many and the last one.
WITH batch AS (
    SELECT m.id, m.registered_at AS at, m.group_id,
        coalesce(m.registered_mall_id, '00000000-0000-0000-0000-000000000000'::uuid) AS mall_id,
        coalesce(m.tier_id, '00000000-0000-0000-0000-000000000000'::uuid) AS tier_id,
        coalesce(ml.time_zone, sqlc.arg(tz)::text) AS tz
    FROM members m
    LEFT JOIN malls ml ON ml.id = m.registered_mall_id
    WHERE m.registered_at IS NOT NULL
        AND (m.registered_at, m.id) > (sqlc.arg(last_at)::timestamptz, sqlc.arg(last_key)::uuid)
        AND m.registered_at < sqlc.arg(cutoff)::timestamptz
    ORDER BY m.registered_at, m.id
    LIMIT sqlc.arg(batch_size)::int
), up AS (
    INSERT INTO report_member_months AS r (group_id, mall_id, month, tier_id, registered)
    SELECT group_id, mall_id, date_trunc('month', at AT TIME ZONE tz)::date, tier_id, count(*)
    FROM batch WHERE group_id IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (group_id, mall_id, month, tier_id) DO UPDATE SET registered = r.registered + excluded.registered
)
SELECT (SELECT count(*) FROM batch)::int AS n,
    coalesce((SELECT at FROM batch ORDER BY at DESC, id DESC LIMIT 1), sqlc.arg(last_at)::timestamptz)::timestamptz AS last_at,
    coalesce((SELECT id FROM batch ORDER BY at DESC, id DESC LIMIT 1), sqlc.arg(last_key)::uuid)::uuid AS last_key;

-- name: RollUpMemberExits :one
-- Adds the next approved exits after (last_at, last_key) by decided_at and before
-- cutoff to the monthly member rollup (an exit restored since was approved too; a
-- rejected one is not counted).
WITH batch AS (
    SELECT e.id, e.decided_at AS at, m.group_id,
        coalesce(m.registered_mall_id, '00000000-0000-0000-0000-000000000000'::uuid) AS mall_id,
        coalesce(m.tier_id, '00000000-0000-0000-0000-000000000000'::uuid) AS tier_id,
        coalesce(ml.time_zone, sqlc.arg(tz)::text) AS tz
    FROM member_exits e
    JOIN members m ON m.id = e.member_id
    LEFT JOIN malls ml ON ml.id = m.registered_mall_id
    WHERE e.decided_at IS NOT NULL AND e.status IN ('APPROVED', 'RESTORED')
        AND (e.decided_at, e.id) > (sqlc.arg(last_at)::timestamptz, sqlc.arg(last_key)::uuid)
        AND e.decided_at < sqlc.arg(cutoff)::timestamptz
    ORDER BY e.decided_at, e.id
    LIMIT sqlc.arg(batch_size)::int
), up AS (
    INSERT INTO report_member_months AS r (group_id, mall_id, month, tier_id, exited)
    SELECT group_id, mall_id, date_trunc('month', at AT TIME ZONE tz)::date, tier_id, count(*)
    FROM batch WHERE group_id IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (group_id, mall_id, month, tier_id) DO UPDATE SET exited = r.exited + excluded.exited
)
SELECT (SELECT count(*) FROM batch)::int AS n,
    coalesce((SELECT at FROM batch ORDER BY at DESC, id DESC LIMIT 1), sqlc.arg(last_at)::timestamptz)::timestamptz AS last_at,
    coalesce((SELECT id FROM batch ORDER BY at DESC, id DESC LIMIT 1), sqlc.arg(last_key)::uuid)::uuid AS last_key;

-- name: RollUpMemberRestores :one
-- Adds the next restores of exited members after (last_at, last_key) by restored_at and
-- before cutoff to the monthly member rollup.
WITH batch AS (
    SELECT e.id, e.restored_at AS at, m.group_id,
        coalesce(m.registered_mall_id, '00000000-0000-0000-0000-000000000000'::uuid) AS mall_id,
        coalesce(m.tier_id, '00000000-0000-0000-0000-000000000000'::uuid) AS tier_id,
        coalesce(ml.time_zone, sqlc.arg(tz)::text) AS tz
    FROM member_exits e
    JOIN members m ON m.id = e.member_id
    LEFT JOIN malls ml ON ml.id = m.registered_mall_id
    WHERE e.restored_at IS NOT NULL
        AND (e.restored_at, e.id) > (sqlc.arg(last_at)::timestamptz, sqlc.arg(last_key)::uuid)
        AND e.restored_at < sqlc.arg(cutoff)::timestamptz
    ORDER BY e.restored_at, e.id
    LIMIT sqlc.arg(batch_size)::int
), up AS (
    INSERT INTO report_member_months AS r (group_id, mall_id, month, tier_id, restored)
    SELECT group_id, mall_id, date_trunc('month', at AT TIME ZONE tz)::date, tier_id, count(*)
    FROM batch WHERE group_id IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (group_id, mall_id, month, tier_id) DO UPDATE SET restored = r.restored + excluded.restored
)
SELECT (SELECT count(*) FROM batch)::int AS n,
    coalesce((SELECT at FROM batch ORDER BY at DESC, id DESC LIMIT 1), sqlc.arg(last_at)::timestamptz)::timestamptz AS last_at,
    coalesce((SELECT id FROM batch ORDER BY at DESC, id DESC LIMIT 1), sqlc.arg(last_key)::uuid)::uuid AS last_key;
