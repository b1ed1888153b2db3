-- Member events, their sign-ups, check-in scans and sign-ins.

-- name: InsertEvent :exec
INSERT INTO mev_events (id, group_id, mall_id, title, place, starts_at, ends_at, signup_opens_at, signup_closes_at,
    capacity, deposit_points, tier_ids, tags, lottery_id, gift_id, signin_opens_at, signin_closes_at,
    signin_repeatable, signin_max_per_day, signin_gap_minutes, created_by, created_at)
VALUES (@id, @group_id, @mall_id, @title, @place, @starts_at, @ends_at, @signup_opens_at, @signup_closes_at,
    @capacity, @deposit_points, @tier_ids, @tags, sqlc.narg(lottery_id), sqlc.narg(gift_id),
    sqlc.narg(signin_opens_at), sqlc.narg(signin_closes_at), @signin_repeatable, @signin_max_per_day,
    @signin_gap_minutes, @created_by, @created_at);

-- name: Event :one
SELECT * FROM mev_events WHERE id = @id;

-- name: LockEvent :one
SELECT * FROM mev_events WHERE id = @id FOR UPDATE;

-- name: EventsOfMall :many
SELECT * FROM mev_events
WHERE group_id = @group_id AND mall_id = @mall_id
  AND (sqlc.narg(after)::uuid IS NULL OR id > sqlc.narg(after)::uuid)
ORDER BY id LIMIT @max_rows;

-- name: TakePlace :execrows
-- One confirmed place more, while places remain (the caller holds the event's lock).
UPDATE mev_events SET confirmed = confirmed + 1 WHERE id = @id AND confirmed < capacity;

-- name: FreePlace :exec
UPDATE mev_events SET confirmed = confirmed - 1 WHERE id = @id;

-- name: NextWaitlistSeq :one
UPDATE mev_events SET waitlist_seq = waitlist_seq + 1 WHERE id = @id RETURNING waitlist_seq;

-- name: CloseEvent :exec
UPDATE mev_events SET status = 'closed', closed_at = @closed_at WHERE id = @id;

-- name: InsertSignup :execrows
INSERT INTO mev_signups (id, group_id, mall_id, event_id, member_id, status, waitlist_seq, card_id, deposit_points,
    deposit_state, deposit_pieces, created_at, updated_at)
VALUES (@id, @group_id, @mall_id, @event_id, @member_id, @status, sqlc.narg(waitlist_seq), sqlc.narg(card_id),
    @deposit_points, @deposit_state, @deposit_pieces, @created_at, @created_at)
ON CONFLICT (group_id, mall_id, event_id, member_id) DO NOTHING;

-- name: Signup :one
SELECT * FROM mev_signups WHERE group_id = @group_id AND mall_id = @mall_id AND event_id = @event_id
  AND member_id = @member_id;

-- name: LockSignup :one
SELECT * FROM mev_signups WHERE group_id = @group_id AND mall_id = @mall_id AND event_id = @event_id
  AND member_id = @member_id FOR UPDATE;

-- name: SetSignupStatus :exec
UPDATE mev_signups SET status = @status, waitlist_seq = sqlc.narg(waitlist_seq),
    checked_in_at = sqlc.narg(checked_in_at), updated_at = @updated_at
WHERE id = @id;

-- name: SetDepositState :exec
UPDATE mev_signups SET deposit_state = @deposit_state, updated_at = @updated_at WHERE id = @id;

-- name: FirstWaitlisted :one
SELECT * FROM mev_signups WHERE group_id = @group_id AND mall_id = @mall_id AND event_id = @event_id
  AND status = 'waitlisted' ORDER BY waitlist_seq LIMIT 1 FOR UPDATE;

-- name: WaitlistRank :one
-- The 1-based place of a wait-listed sign-up in the queue.
SELECT count(*)::int FROM mev_signups WHERE group_id = @group_id AND mall_id = @mall_id AND event_id = @event_id
  AND status = 'waitlisted' AND waitlist_seq <= @waitlist_seq;

-- name: SignupsOfEvent :many
-- An event's sign-ups: confirmed and checked in first (by sign-up time), then the wait
-- list in order, then cancelled ones; with each wait-listed one's place in the queue.
SELECT s.*, coalesce(CASE WHEN s.status = 'waitlisted'
        THEN row_number() OVER (PARTITION BY s.status = 'waitlisted' ORDER BY s.waitlist_seq) END, 0)::int AS position
FROM mev_signups s
WHERE s.group_id = @group_id AND s.mall_id = @mall_id AND s.event_id = @event_id
ORDER BY CASE s.status WHEN 'checked_in' THEN 0 WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END,
    s.waitlist_seq NULLS FIRST, s.created_at, s.id;

-- name: SignupsToSettle :many
-- Sign-ups whose deposit is still held when the event closes, locked.
SELECT * FROM mev_signups WHERE group_id = @group_id AND mall_id = @mall_id AND event_id = @event_id
  AND deposit_state = 'held' ORDER BY id FOR UPDATE;

-- name: SignupsOfMember :many
SELECT * FROM mev_signups WHERE group_id = @group_id AND member_id = @member_id ORDER BY created_at DESC, id LIMIT 200;

-- name: InsertScan :execrows
INSERT INTO mev_scans (group_id, mall_id, event_id, scan_id, staff_id, device_id, scanned_at)
VALUES (@group_id, @mall_id, @event_id, @scan_id, @staff_id, @device_id, @scanned_at)
ON CONFLICT DO NOTHING;

-- name: SetScanOutcome :exec
UPDATE mev_scans SET outcome = @outcome, member_id = sqlc.narg(member_id)
WHERE group_id = @group_id AND mall_id = @mall_id AND event_id = @event_id AND scan_id = @scan_id;

-- name: SigninsOf :many
SELECT signed_at FROM mev_signins WHERE group_id = @group_id AND mall_id = @mall_id AND event_id = @event_id
  AND member_id = @member_id ORDER BY signed_at;

-- name: InsertSignin :exec
INSERT INTO mev_signins (id, group_id, mall_id, event_id, member_id, signed_at)
VALUES (@id, @group_id, @mall_id, @event_id, @member_id, @signed_at);

-- name: HeldDeposits :many
-- For Verify: the points each event holds (deposits still held).
SELECT event_id, group_id, sum(deposit_points)::bigint AS held FROM mev_signups
WHERE deposit_state = 'held' GROUP BY event_id, group_id;
