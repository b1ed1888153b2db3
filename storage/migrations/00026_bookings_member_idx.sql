-- +goose Up
-- myBookings pages a member's bookings newest first (keyset on id).
CREATE INDEX bookings_member_idx ON bookings (member_id, id);

-- +goose Down
DROP INDEX bookings_member_idx;
