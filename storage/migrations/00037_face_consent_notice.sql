-- +goose Up
-- The version of the privacy notice (告知书) the member consented to: PIPL asks for a
-- separate consent to a specific notice for biometric data. Consents given before
-- this column existed have version ''.
ALTER TABLE face_consents ADD COLUMN notice_version text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE face_consents DROP COLUMN notice_version;
