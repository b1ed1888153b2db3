-- InsertBirthdayNotices greets each active member whose birthday is the given day, once a year.
-- It returns the greeted members with their group and mall, for the notify outbox.
-- name: InsertBirthdayNotices :many
WITH ins AS (
    INSERT INTO loyalty_notifications (id, member_id, kind, title, body, dedupe_key, created_at)
    SELECT gen_random_uuid(), id, 'birthday', 'Happy birthday', 'Happy birthday from your mall!',
        'birthday:' || id || ':' || @year::text, @created_at::timestamptz
    FROM members WHERE status = 'active' AND birthday IS NOT NULL
        AND extract(month FROM birthday) = @month::int AND extract(day FROM birthday) = @day::int
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING member_id, body, dedupe_key)
SELECT ins.member_id, ins.body, ins.dedupe_key, m.group_id, m.registered_mall_id, m.name
FROM ins JOIN members m ON m.id = ins.member_id;

-- InsertExpiringNotices tells each member with points expiring in (now, until], once a day.
-- It returns the reminded members with their group and mall, for the notify outbox.
-- name: InsertExpiringNotices :many
WITH ins AS (
    INSERT INTO loyalty_notifications (id, member_id, kind, title, body, dedupe_key, created_at)
    SELECT gen_random_uuid(), c.member_id, 'points_expiring', 'Points expiring',
        sum(l.remaining)::bigint || ' points expire by ' || to_char(max(l.expires_at) AT TIME ZONE @zone::text, 'YYYY-MM-DD'),
        'expiring:' || c.member_id || ':' || @day::text, @now::timestamptz
    FROM ledger_lots l JOIN cards c ON c.id = l.card_id
    WHERE l.status = 'available' AND l.remaining > 0 AND l.expires_at > @now::timestamptz
        AND l.expires_at <= @until::timestamptz
    GROUP BY c.member_id
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING member_id, body, dedupe_key)
SELECT ins.member_id, ins.body, ins.dedupe_key, m.group_id, m.registered_mall_id, m.name
FROM ins JOIN members m ON m.id = ins.member_id;

-- name: MemberNotifications :many
SELECT id, kind, title, body, created_at, read_at FROM loyalty_notifications
WHERE member_id = @member_id AND id < @after ORDER BY id DESC LIMIT @lim;
