-- name: InsertEvent :execrows
-- Records an event once per dedupe key; 0 rows when it was recorded before.
INSERT INTO notify_events (id, group_id, mall_id, kind, recipient_kind, recipient_id, payload, dedupe_key, broadcast_id,
    created_at)
VALUES (@id, @group_id, @mall_id, @kind, @recipient_kind, @recipient_id, @payload, @dedupe_key, sqlc.narg(broadcast_id),
    @created_at)
ON CONFLICT (group_id, dedupe_key) DO NOTHING;

-- name: InsertBroadcastEvents :execrows
-- One event per member of a group message (dedupe key broadcast:<id>:<member>).
INSERT INTO notify_events (id, group_id, mall_id, kind, recipient_kind, recipient_id, payload, dedupe_key, broadcast_id,
    created_at)
SELECT gen_random_uuid(), @group_id, @mall_id, 'group_message', 'member', m, @payload,
    'broadcast:' || @broadcast_id::uuid || ':' || m, @broadcast_id::uuid, @created_at
FROM unnest(@members::uuid[]) AS m
ON CONFLICT (group_id, dedupe_key) DO NOTHING;

-- name: UndispatchedEvents :many
-- Events not yet expanded into deliveries, oldest first, locked so two dispatchers split them.
SELECT * FROM notify_events WHERE dispatched_at IS NULL ORDER BY created_at LIMIT @max FOR UPDATE SKIP LOCKED;

-- name: MarkDispatched :exec
UPDATE notify_events SET dispatched_at = @at WHERE id = ANY(@ids::uuid[]);

-- name: EventsByIDs :many
SELECT * FROM notify_events WHERE id = ANY(@ids::uuid[]);

-- name: InsertDelivery :execrows
-- One delivery per (event, channel, recipient): a second insert is a no-op.
INSERT INTO notify_deliveries (id, group_id, mall_id, event_id, kind, channel, recipient_kind, recipient_id, status,
    next_at, fallback_of, last_error, created_at, updated_at)
VALUES (@id, @group_id, @mall_id, @event_id, @kind, @channel, @recipient_kind, @recipient_id, @status, @next_at,
    sqlc.narg(fallback_of), @last_error, @created_at, @created_at)
ON CONFLICT (group_id, event_id, channel, recipient_kind, recipient_id) DO NOTHING;

-- name: ClaimDue :many
-- Claims up to max due deliveries of a channel for worker: rows another worker holds
-- are skipped (SKIP LOCKED) and the update is conditional on the row still pending, so
-- one delivery is claimed by one worker, once per attempt.
UPDATE notify_deliveries d
SET status = 'sending', claimed_by = @worker, claimed_until = @until, attempts = d.attempts + 1, updated_at = @now
WHERE d.id IN (
    SELECT x.id FROM notify_deliveries x
    WHERE x.channel = @channel AND x.status = 'pending' AND x.next_at <= @now
    ORDER BY x.next_at
    LIMIT @max
    FOR UPDATE SKIP LOCKED)
  AND d.status = 'pending'
RETURNING d.*;

-- name: ExpireClaims :execrows
-- A claim whose worker died mid-send is not sent again (the send may have happened):
-- it is recorded failed, INTERRUPTED.
UPDATE notify_deliveries
SET status = 'failed', error_code = 'INTERRUPTED', last_error = 'the worker stopped during the send; not resent',
    claimed_by = '', updated_at = @now
WHERE channel = @channel AND status = 'sending' AND claimed_until < @now;

-- name: FinishDelivery :execrows
-- Records the outcome of a claimed attempt (only by the worker holding the claim).
UPDATE notify_deliveries
SET status = @status, error_code = @error_code, last_error = @last_error, provider_ref = @provider_ref,
    sent_at = sqlc.narg(sent_at), next_at = @next_at, claimed_by = '', claimed_until = NULL, updated_at = @now
WHERE id = @id AND status = 'sending' AND claimed_by = @worker;

-- name: AddGrants :one
INSERT INTO notify_grants (group_id, member_id, template_id, remaining, updated_at)
VALUES (@group_id, @member_id, @template_id, @n, @now)
ON CONFLICT (group_id, member_id, template_id)
DO UPDATE SET remaining = LEAST(notify_grants.remaining + excluded.remaining, @max_remaining::int), updated_at = @now
RETURNING remaining;

-- name: ConsumeGrant :execrows
-- Takes one grant; 0 rows: none left (no grant, no send).
UPDATE notify_grants SET remaining = remaining - 1, updated_at = @now
WHERE group_id = @group_id AND member_id = @member_id AND template_id = @template_id AND remaining > 0;

-- name: RestoreGrant :exec
UPDATE notify_grants SET remaining = remaining + 1, updated_at = @now
WHERE group_id = @group_id AND member_id = @member_id AND template_id = @template_id;

-- name: ClearGrants :exec
-- After 43101 (the user refused): the grants we counted are not there.
UPDATE notify_grants SET remaining = 0, updated_at = @now
WHERE group_id = @group_id AND member_id = @member_id AND template_id = @template_id;

-- name: GrantsOf :many
SELECT * FROM notify_grants WHERE group_id = @group_id AND member_id = @member_id ORDER BY template_id;

-- name: SetPreference :exec
INSERT INTO notify_preferences (group_id, member_id, channel, kind, enabled, updated_at)
VALUES (@group_id, @member_id, @channel, @kind, @enabled, @now)
ON CONFLICT (group_id, member_id, channel, kind) DO UPDATE SET enabled = excluded.enabled, updated_at = @now;

-- name: PreferencesOf :many
SELECT * FROM notify_preferences WHERE group_id = @group_id AND member_id = @member_id ORDER BY kind, channel;

-- name: DisabledChannels :many
-- The channels a member turned off for an event kind.
SELECT channel FROM notify_preferences
WHERE group_id = @group_id AND member_id = @member_id AND kind = @kind AND NOT enabled;

-- name: CountOptedOut :one
-- How many of the members turned a channel off for group messages.
SELECT count(*) FROM notify_preferences
WHERE group_id = @group_id AND member_id = ANY(@members::uuid[]) AND kind = 'group_message' AND channel = @channel
  AND NOT enabled;

-- name: TakeSmsSlot :execrows
-- Counts one SMS against the mall's cap of the day; 0 rows: the cap is reached.
INSERT INTO notify_sms_daily (group_id, mall_id, day, sent) VALUES (@group_id, @mall_id, @day, 1)
ON CONFLICT (group_id, mall_id, day) DO UPDATE SET sent = notify_sms_daily.sent + 1
WHERE notify_sms_daily.sent < @cap::int;

-- name: ReturnSmsSlot :exec
UPDATE notify_sms_daily SET sent = sent - 1 WHERE group_id = @group_id AND mall_id = @mall_id AND day = @day AND sent > 0;

-- name: SmsSentOn :one
SELECT coalesce((SELECT sent FROM notify_sms_daily WHERE group_id = @group_id AND mall_id = @mall_id AND day = @day), 0)::int;

-- name: InsertInbox :execrows
INSERT INTO notify_inbox (id, group_id, mall_id, event_id, recipient_kind, recipient_id, kind, title, body, created_at)
VALUES (@id, @group_id, @mall_id, @event_id, @recipient_kind, @recipient_id, @kind, @title, @body, @created_at)
ON CONFLICT (group_id, event_id, recipient_kind, recipient_id) DO NOTHING;

-- name: InboxOf :many
-- A page of the inbox of a person: a member, or a staff member with the merchants
-- (tenants) they act for.
SELECT * FROM notify_inbox
WHERE ((recipient_kind = @kind AND recipient_id = @recipient_id)
    OR (recipient_kind = 'tenant' AND recipient_id = ANY(@tenants::uuid[])))
  AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
ORDER BY id DESC
LIMIT @max;

-- name: MarkInboxRead :execrows
UPDATE notify_inbox SET read_at = @now
WHERE id = ANY(@ids::uuid[]) AND read_at IS NULL
  AND ((recipient_kind = @kind AND recipient_id = @recipient_id)
    OR (recipient_kind = 'tenant' AND recipient_id = ANY(@tenants::uuid[])));

-- name: DeliveryLog :many
-- A page of a mall's deliveries, newest first, optionally of one channel, status or event kind.
SELECT * FROM notify_deliveries
WHERE group_id = @group_id AND mall_id = @mall_id
  AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
  AND (@channel::text = '' OR channel = @channel::text)
  AND (@status::text = '' OR status = @status::text)
  AND (@kind::text = '' OR kind = @kind::text)
ORDER BY id DESC
LIMIT @max;

-- name: DeliveriesOfEvent :many
SELECT * FROM notify_deliveries WHERE event_id = @event_id ORDER BY channel;

-- name: LockMallBroadcasts :exec
SELECT pg_advisory_xact_lock(hashtextextended('notify.broadcast:' || @mall_key::text, 0));

-- name: CountBroadcastsSince :one
SELECT count(*) FROM notify_broadcasts WHERE group_id = @group_id AND mall_id = @mall_id AND created_at >= @since;

-- name: InsertBroadcast :exec
INSERT INTO notify_broadcasts (id, group_id, mall_id, title, body, segment, matched, opted_out, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @title, @body, @segment, @matched, @opted_out, @created_by, @created_at);

-- name: BroadcastsOf :many
SELECT * FROM notify_broadcasts WHERE group_id = @group_id AND mall_id = @mall_id
  AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
ORDER BY id DESC LIMIT @max;
