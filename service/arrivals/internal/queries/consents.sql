-- name: LockMember :one
-- Locks the member's row (FOR NO KEY UPDATE: inserts referencing the member are not
-- blocked), so one member's consent changes and enrolments run one at a time.
SELECT status, group_id FROM members WHERE id = @id FOR NO KEY UPDATE;

-- name: LastConsent :one
-- The member's active consent, or else the last one given.
SELECT granted_at, revoked_at, notice_version FROM face_consents
WHERE member_id = @member_id
ORDER BY (revoked_at IS NULL) DESC, granted_at DESC, id DESC
LIMIT 1;

-- name: ActiveConsentGrantedAt :one
SELECT granted_at FROM face_consents WHERE member_id = @member_id AND revoked_at IS NULL;

-- name: EndConsentToOtherNotice :exec
-- Ends the active consent when it was given to another notice version.
UPDATE face_consents SET revoked_at = @at::timestamptz
WHERE member_id = @member_id AND revoked_at IS NULL AND notice_version <> @notice_version;

-- name: InsertConsent :exec
-- Starts a consent unless one is active (the same version: kept).
INSERT INTO face_consents (id, member_id, granted_at, notice_version)
VALUES (@id, @member_id, @granted_at, @notice_version)
ON CONFLICT (member_id) WHERE revoked_at IS NULL DO NOTHING;

-- name: RevokeConsent :exec
UPDATE face_consents SET revoked_at = greatest(@at::timestamptz, granted_at)
WHERE member_id = @member_id AND revoked_at IS NULL;
