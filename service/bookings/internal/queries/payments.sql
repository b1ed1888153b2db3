-- Charges and refunds of paid bookings (the postings are the ledger's).

-- name: SetBookingPaid :exec
UPDATE bookings SET paid_with = @paid_with, paid_points = @paid_points, paid_amount = @paid_amount,
    pay_card_id = @pay_card_id, paid_pieces = @paid_pieces
WHERE id = @id;

-- name: MarkRefunded :execrows
-- Claims a paid booking's refund, once.
UPDATE bookings SET refunded = true WHERE id = @id AND paid_with IS NOT NULL AND NOT refunded;

-- name: BookingCharge :one
SELECT member_id, paid_with, paid_points, paid_amount, pay_card_id, paid_pieces FROM bookings WHERE id = @id;
