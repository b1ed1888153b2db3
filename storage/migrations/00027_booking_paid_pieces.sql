-- +goose Up
-- The points lots a booking paid with points took (ledger pieces), so a free
-- cancellation gives them back with their original expiry.
ALTER TABLE bookings ADD COLUMN paid_pieces jsonb;

-- +goose Down
ALTER TABLE bookings DROP COLUMN paid_pieces;
