-- +goose Up
-- The daily purge of biometric data past its retention finds its rows by these.
CREATE INDEX arrivals_snapshot_idx ON arrivals (at) WHERE snapshot_key IS NOT NULL;
CREATE INDEX member_faces_revoked_idx ON member_faces (revoked_at) WHERE revoked_at IS NOT NULL;

-- +goose Down
DROP INDEX member_faces_revoked_idx;
DROP INDEX arrivals_snapshot_idx;
