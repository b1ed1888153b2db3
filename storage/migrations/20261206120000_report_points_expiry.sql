-- +goose Up
-- Points expiring per month (issue 16): the points of a group's live lots (available
-- and pending) per business month of their expiry, rolled up incrementally from the
-- ledger's lot moves. Every change of a lot's remaining is a ledger_lot_moves row (its
-- creation is a move of its amount; spends, claw-backs, moves to a reissued card,
-- debt settlement and expiry are negative moves; the lot a reissue creates moves in
-- with its original expiry), so the sum of the moves per expiry month is the points
-- the live lots still hold that expire in the month. Read after a watermark in the
-- moves' identity order, stopping before the first move whose posting is not settled,
-- like the ledger_points source.
INSERT INTO report_watermarks (source) VALUES ('ledger_lot_moves');

CREATE TABLE report_points_expiry (
    group_id uuid NOT NULL,
    month    date NOT NULL,                      -- business month of the lots' expiry
    points   numeric(18,2) NOT NULL DEFAULT 0,   -- what the lots expiring in the month hold
    PRIMARY KEY (group_id, month)
);

-- +goose Down
DROP TABLE report_points_expiry;
DELETE FROM report_watermarks WHERE source = 'ledger_lot_moves';
