-- +goose Up
-- Face recognition consent (PIPL: biometric data needs the member's explicit, revocable
-- consent). One row per consent given; revoked_at ends it. At most one active consent
-- per member. Faces (member_faces) are enrolled only under an active consent, and
-- revoking it revokes every face of the member in the same transaction.
CREATE TABLE face_consents (
    id         uuid PRIMARY KEY,
    member_id  uuid NOT NULL REFERENCES members(id),
    granted_at timestamptz NOT NULL,
    revoked_at timestamptz,
    CHECK (revoked_at IS NULL OR revoked_at >= granted_at)
);
CREATE UNIQUE INDEX face_consents_active_idx ON face_consents (member_id) WHERE revoked_at IS NULL;
CREATE INDEX face_consents_member_idx ON face_consents (member_id, granted_at);

-- Faces enrolled before this table: their member consented when the face was enrolled.
INSERT INTO face_consents (id, member_id, granted_at, revoked_at)
SELECT gen_random_uuid(), member_id, min(consent_at),
       CASE WHEN bool_and(revoked_at IS NOT NULL) THEN greatest(max(revoked_at), min(consent_at)) END
FROM member_faces GROUP BY member_id;

-- +goose Down
DROP TABLE face_consents;
