-- +goose Up
-- Purchase lines (issue 17, 盛高 seeds 002/003): what a purchase sold — product or
-- service code, category, quantity, amount (the lines' amounts sum to the purchase's
-- amount) — and who served it (a staff member of the merchant). Written with the
-- purchase in its batch; commissions and the product rankings take it from there.
CREATE TABLE loyalty_purchase_lines (
    group_id    uuid NOT NULL,
    purchase_id uuid NOT NULL REFERENCES loyalty_purchases (id),
    line_no     integer NOT NULL,
    code        text NOT NULL,
    category    text NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    amount      numeric(18, 2) NOT NULL CHECK (amount >= 0),
    served_by   uuid,
    PRIMARY KEY (group_id, purchase_id, line_no)
);

-- +goose Down
DROP TABLE loyalty_purchase_lines;
