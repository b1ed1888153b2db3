-- Members: the WeChat identity row (created on first login) and the profile.

-- name: MemberByID :one
SELECT * FROM members WHERE id = @id;

-- name: MembersByIDs :many
SELECT * FROM members WHERE id = ANY(@ids::uuid[]);

-- name: RegisteredForUpdate :one
-- Locks a shopper's row for registration and tells whether it is registered already.
SELECT (registered_at IS NOT NULL)::bool AS registered FROM members WHERE id = @id FOR UPDATE;

-- name: CompleteShopper :exec
UPDATE members SET group_id = @group_id::uuid, registered_mall_id = @registered_mall_id::uuid, name = @name,
    phone = @phone::text,
    gender = @gender, birthday = sqlc.narg(birthday), anniversary = sqlc.narg(anniversary), tags = @tags,
    source_channel = @source_channel, referrer_id = sqlc.narg(referrer_id), registered_at = @registered_at::timestamptz
WHERE id = @id;

-- name: InsertMember :exec
INSERT INTO members (id, group_id, registered_mall_id, name, phone, gender, birthday, anniversary, tags,
                     source_channel, referrer_id, registered_at)
VALUES (@id, @group_id::uuid, @registered_mall_id::uuid, @name, @phone::text, @gender, sqlc.narg(birthday), sqlc.narg(anniversary), @tags,
        @source_channel, sqlc.narg(referrer_id), @registered_at::timestamptz);

-- name: MemberIDByPhone :one
SELECT id FROM members WHERE group_id = @group_id::uuid AND phone = @phone::text;

-- name: MemberIDInGroup :one
SELECT id FROM members WHERE group_id = @group_id::uuid AND id = @id;

-- name: PhoneHolderForUpdate :one
-- The member of a group holding a phone number, locked, and whether it has a WeChat identity.
SELECT id, (openid IS NOT NULL)::bool AS has_wechat FROM members
WHERE group_id = @group_id::uuid AND phone = @phone::text FOR UPDATE;

-- name: WeChatIdentity :one
SELECT openid, unionid, status FROM members WHERE id = @id;

-- name: RetireIdentity :exec
-- The fresh identity row of a shopper whose WeChat account moved onto an existing member.
UPDATE members SET openid = NULL, unionid = NULL, status = @status WHERE id = @id;

-- name: BindWeChat :exec
UPDATE members SET openid = sqlc.narg(openid), unionid = coalesce(unionid, sqlc.narg(unionid)),
    last_login_at = @last_login_at::timestamptz
WHERE id = @id;

-- name: SetPhoto :exec
UPDATE members SET photo_key = @photo_key::text WHERE id = @id;

-- Staff member search: one statement per filter shape, so that each has a plan of its
-- own that reads an index (one catch-all statement, "a filter is empty OR it matches",
-- made PostgreSQL scan the whole group). Each lists registered members of a group in id order after a keyset cursor;
-- the remaining filters (empty or NULL: no filter) apply to the rows the index found.

-- name: SearchMembers :many
-- No phone, no card number: the group in id order (members_group_idx).
SELECT m.* FROM members m
WHERE m.group_id = @group_id::uuid AND m.registered_at IS NOT NULL AND m.id > @after
  AND (@tag::text = '' OR m.tags @> ARRAY[@tag::text])
  AND (sqlc.narg(registered_from)::timestamptz IS NULL OR m.registered_at >= sqlc.narg(registered_from)::timestamptz)
  AND (sqlc.narg(registered_to)::timestamptz IS NULL OR m.registered_at < sqlc.narg(registered_to)::timestamptz)
  AND (sqlc.narg(tier_id)::uuid IS NULL OR m.tier_id = sqlc.narg(tier_id)::uuid)
ORDER BY m.id LIMIT @lim;

-- name: SearchMembersByPhone :many
-- A whole phone number (members_group_phone_idx).
SELECT m.* FROM members m
WHERE m.group_id = @group_id::uuid AND m.phone = @phone::text AND m.registered_at IS NOT NULL AND m.id > @after
  AND (@tag::text = '' OR m.tags @> ARRAY[@tag::text])
  AND (sqlc.narg(registered_from)::timestamptz IS NULL OR m.registered_at >= sqlc.narg(registered_from)::timestamptz)
  AND (sqlc.narg(registered_to)::timestamptz IS NULL OR m.registered_at < sqlc.narg(registered_to)::timestamptz)
  AND (sqlc.narg(tier_id)::uuid IS NULL OR m.tier_id = sqlc.narg(tier_id)::uuid)
ORDER BY m.id LIMIT @lim;

-- name: SearchMembersByPhonePrefix :many
-- The beginning of a phone number, at least 7 digits: its members first, as a range in
-- byte order (members_group_phone_c_idx; phones are digits, and every digit sorts before
-- ':'), then the page. A LIKE pattern would serve no index under the database's C.UTF-8
-- collation, nor with a parameter for a pattern. The range is read whole (an ARRAY),
-- never the group in id order hoping to meet matches: phones are unique in a group, so
-- 7 digits match at most 10,000 members however large the group.
SELECT m.* FROM members m
WHERE m.id = ANY (ARRAY(SELECT h.id FROM members h WHERE h.group_id = @group_id::uuid
      AND h.phone COLLATE "C" >= @prefix::text AND h.phone COLLATE "C" < @prefix::text || ':'))
  AND m.group_id = @group_id::uuid AND m.registered_at IS NOT NULL AND m.id > @after
  AND (@tag::text = '' OR m.tags @> ARRAY[@tag::text])
  AND (sqlc.narg(registered_from)::timestamptz IS NULL OR m.registered_at >= sqlc.narg(registered_from)::timestamptz)
  AND (sqlc.narg(registered_to)::timestamptz IS NULL OR m.registered_at < sqlc.narg(registered_to)::timestamptz)
  AND (sqlc.narg(tier_id)::uuid IS NULL OR m.tier_id = sqlc.narg(tier_id)::uuid)
ORDER BY m.id LIMIT @lim;

-- name: SearchMembersByShortPhonePrefix :many
-- The beginning of a phone number, 1 to 6 digits: the same range, left to the planner,
-- which may rather read the group in id order when the prefix is common.
SELECT m.* FROM members m
WHERE m.group_id = @group_id::uuid
  AND m.phone COLLATE "C" >= @prefix::text AND m.phone COLLATE "C" < @prefix::text || ':'
  AND m.registered_at IS NOT NULL AND m.id > @after
  AND (@tag::text = '' OR m.tags @> ARRAY[@tag::text])
  AND (sqlc.narg(registered_from)::timestamptz IS NULL OR m.registered_at >= sqlc.narg(registered_from)::timestamptz)
  AND (sqlc.narg(registered_to)::timestamptz IS NULL OR m.registered_at < sqlc.narg(registered_to)::timestamptz)
  AND (sqlc.narg(tier_id)::uuid IS NULL OR m.tier_id = sqlc.narg(tier_id)::uuid)
ORDER BY m.id LIMIT @lim;

-- name: SearchMembersByCard :many
-- The member holding a card number (any status; cards_number_key), optionally also
-- matching a phone number or its beginning.
SELECT m.* FROM members m
WHERE m.id = (SELECT c.member_id FROM cards c WHERE c.number = @card_number::text)
  AND m.group_id = @group_id::uuid AND m.registered_at IS NOT NULL AND m.id > @after
  AND (@phone::text = '' OR starts_with(m.phone, @phone::text))
  AND (@tag::text = '' OR m.tags @> ARRAY[@tag::text])
  AND (sqlc.narg(registered_from)::timestamptz IS NULL OR m.registered_at >= sqlc.narg(registered_from)::timestamptz)
  AND (sqlc.narg(registered_to)::timestamptz IS NULL OR m.registered_at < sqlc.narg(registered_to)::timestamptz)
  AND (sqlc.narg(tier_id)::uuid IS NULL OR m.tier_id = sqlc.narg(tier_id)::uuid)
ORDER BY m.id LIMIT @lim;

-- name: FindShopper :one
-- The member behind a WeChat login: by openid, else by unionid (the same person in
-- another app of the group, not yet bound to an openid); none: a new identity row
-- (concurrent first logins create one row: the openid is unique).
WITH found AS (
    SELECT id, status FROM members WHERE openid = @openid::text
    UNION ALL
    SELECT id, status FROM members WHERE @unionid::text <> '' AND unionid = @unionid::text AND openid IS NULL
    LIMIT 1
), ins AS (
    INSERT INTO members (id, openid, unionid)
    SELECT @new_id::uuid, @openid::text, nullif(@unionid::text, '') WHERE NOT EXISTS (SELECT 1 FROM found)
    ON CONFLICT (openid) DO UPDATE SET last_login_at = now()
    RETURNING id, status
)
SELECT id, status FROM found UNION ALL SELECT id, status FROM ins LIMIT 1;

-- name: TouchShopperLogin :exec
UPDATE members SET last_login_at = now(), openid = coalesce(openid, @openid::text),
    unionid = coalesce(unionid, nullif(@unionid::text, ''))
WHERE id = @id;

-- name: TierForUpdate :one
SELECT tier_id FROM members WHERE id = @id FOR UPDATE;

-- name: SetTier :exec
UPDATE members SET tier_id = sqlc.narg(tier_id), tier_since = @tier_since::timestamptz WHERE id = @id;

-- name: TieredBefore :many
SELECT id FROM members
WHERE group_id = @group_id::uuid AND tier_id IS NOT NULL AND tier_since <= @since::timestamptz ORDER BY id;

-- name: TierHoldersForUpdate :many
-- Up to lim members of the group after the cursor (id order) holding a tier reached at
-- or before since, locked until the transaction ends: one batch of the tier review.
SELECT id, tier_id::uuid AS tier_id FROM members
WHERE group_id = @group_id::uuid AND id > @after::uuid AND tier_id IS NOT NULL AND tier_since <= @since::timestamptz
ORDER BY id LIMIT @lim FOR UPDATE;

-- name: SetTiers :many
-- Moves each member still holding from_tier to tier (the nil uuid: none), reached at
-- since, in one statement; returns the members moved.
UPDATE members m SET tier_id = nullif(u.tier_id, '00000000-0000-0000-0000-000000000000'::uuid),
    tier_since = @since::timestamptz
FROM (SELECT unnest(@ids::uuid[]) AS id, unnest(@tier_ids::uuid[]) AS tier_id,
    unnest(@from_tier_ids::uuid[]) AS from_tier) u
WHERE m.id = u.id AND m.tier_id = u.from_tier
RETURNING m.id;

-- name: CountMembers :one
-- How many members SearchMembers lists without phone or card (an export's total).
SELECT count(*) FROM members m
WHERE m.group_id = @group_id::uuid AND m.registered_at IS NOT NULL
  AND (@tag::text = '' OR m.tags @> ARRAY[@tag::text])
  AND (sqlc.narg(registered_from)::timestamptz IS NULL OR m.registered_at >= sqlc.narg(registered_from)::timestamptz)
  AND (sqlc.narg(registered_to)::timestamptz IS NULL OR m.registered_at < sqlc.narg(registered_to)::timestamptz)
  AND (sqlc.narg(tier_id)::uuid IS NULL OR m.tier_id = sqlc.narg(tier_id)::uuid);

-- name: MemberContacts :many
-- How the notify context reaches members: group, mini-program openid and phone.
SELECT id, group_id, openid, phone FROM members WHERE id = ANY(@ids::uuid[]);
