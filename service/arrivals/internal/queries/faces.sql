-- name: EnrolFace :exec
-- Maps the face to the member; a face enrolled for anyone is taken over only when its
-- enrolment is revoked (the guard under concurrency: the caller reads the owner back).
INSERT INTO member_faces (face_id, member_id, consent_at) VALUES (@face_id, @member_id, @consent_at)
ON CONFLICT (face_id) DO UPDATE SET member_id = EXCLUDED.member_id, consent_at = EXCLUDED.consent_at,
    revoked_at = NULL
WHERE member_faces.revoked_at IS NOT NULL;

-- name: FaceOwner :one
SELECT member_id, consent_at FROM member_faces WHERE face_id = @face_id;

-- name: RevokeFaces :exec
UPDATE member_faces SET revoked_at = @at::timestamptz WHERE member_id = @member_id AND revoked_at IS NULL;

-- name: PurgeRevokedFaces :execrows
DELETE FROM member_faces WHERE revoked_at < @before::timestamptz;

-- name: RecognizeFace :one
-- The active member of group an active face belongs to, and whether they are a VIP
-- (one of vip_tags, or a tier whose code is one of vip_tier_codes).
SELECT m.id AS member_id,
       ((m.tags && @vip_tags::text[]) OR coalesce(t.code = ANY(@vip_tier_codes::text[]), false))::boolean AS vip
FROM member_faces f
JOIN members m ON m.id = f.member_id
LEFT JOIN loyalty_tiers t ON t.id = m.tier_id
WHERE f.face_id = @face_id AND f.revoked_at IS NULL AND m.status = @member_status::text AND m.group_id = @group_id::uuid;
