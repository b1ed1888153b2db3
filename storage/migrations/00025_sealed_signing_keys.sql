-- +goose Up
-- Signing keys' private halves are sealed (AES-256-GCM under the data key, which is not
-- in the database) once a server with a data key reads them; sealed says which are.
ALTER TABLE signing_keys ADD COLUMN sealed boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE signing_keys DROP COLUMN sealed;
