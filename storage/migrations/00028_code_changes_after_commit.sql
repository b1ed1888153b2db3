-- +goose Up
-- Code status changes get their feed sequence after they commit, not while their
-- transaction runs: a change marks its code change_seq = -1, and the reader of the feed
-- numbers the committed ones (one at a time, under a lock), so a device's cursor never
-- passes a change that commits later.
CREATE INDEX redemption_codes_unsequenced_idx ON redemption_codes (id) WHERE change_seq = -1;

-- +goose Down
DROP INDEX redemption_codes_unsequenced_idx;
