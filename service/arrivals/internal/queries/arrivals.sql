-- name: InsertArrival :exec
INSERT INTO arrivals (id, mall_id, device_id, member_id, entrance, at, vip, notified, snapshot_key, snapshot_url)
VALUES (@id, @mall_id, @device_id, @member_id, @entrance, @at, @vip, @notified,
        nullif(@snapshot_key::text, ''), nullif(@snapshot_url::text, ''));

-- name: ClaimVIPNotice :execrows
-- Claims the member's notice in the mall: one row when the last one is at least
-- interval before last_at (or there is none), none otherwise; atomic under concurrency.
INSERT INTO vip_notices (mall_id, member_id, last_at) VALUES (@mall_id, @member_id, @last_at)
ON CONFLICT (mall_id, member_id) DO UPDATE SET last_at = EXCLUDED.last_at
WHERE vip_notices.last_at <= EXCLUDED.last_at - @interval::interval;

-- name: MallArrivals :many
SELECT id, mall_id, member_id, entrance, at, vip, notified,
       coalesce(snapshot_key, '')::text AS snapshot_key, coalesce(snapshot_url, '')::text AS snapshot_url
FROM arrivals
WHERE mall_id = @mall_id AND at >= @since AND at < @until
ORDER BY at, id;

-- name: SnapshotsToPurge :many
-- Arrivals holding a snapshot taken before cutoff, or of a member without an active
-- consent, oldest first.
SELECT a.id, coalesce(a.snapshot_key, '')::text AS snapshot_key
FROM arrivals a
WHERE (a.snapshot_key IS NOT NULL OR a.snapshot_url IS NOT NULL)
  AND (a.at < @cutoff OR NOT EXISTS (SELECT 1 FROM face_consents c WHERE c.member_id = a.member_id
                                     AND c.revoked_at IS NULL))
ORDER BY a.at
LIMIT @max_rows;

-- name: ClearSnapshots :exec
-- Forgets the snapshots of many arrivals in one statement (a purge batch).
UPDATE arrivals SET snapshot_key = NULL, snapshot_url = NULL WHERE id = ANY(@ids::uuid[]);
