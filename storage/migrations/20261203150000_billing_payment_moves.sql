-- +goose Up
-- Payments, their reversals and credit applications are line moves too (dated: late fees
-- and statements read them): a reversal gives back what its payment took (a negative move).
ALTER TABLE billing_line_moves DROP CONSTRAINT billing_line_moves_amount_check,
    ADD CONSTRAINT billing_line_moves_amount_check CHECK (amount <> 0),
    DROP CONSTRAINT billing_line_moves_kind_check,
    ADD CONSTRAINT billing_line_moves_kind_check CHECK (kind IN ('deposit', 'waiver', 'payment', 'reversal', 'credit'));

-- +goose Down
DELETE FROM billing_line_moves WHERE kind IN ('reversal', 'credit');
ALTER TABLE billing_line_moves DROP CONSTRAINT billing_line_moves_amount_check,
    ADD CONSTRAINT billing_line_moves_amount_check CHECK (amount > 0),
    DROP CONSTRAINT billing_line_moves_kind_check,
    ADD CONSTRAINT billing_line_moves_kind_check CHECK (kind IN ('deposit', 'waiver', 'payment'));
