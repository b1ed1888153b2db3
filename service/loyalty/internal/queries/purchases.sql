-- name: InsertPurchase :exec
INSERT INTO loyalty_purchases (id, group_id, mall_id, merchant_id, receipt_no, member_id, card_id, pay_card_id, amount,
    discount_rate, payable, stored_value, points_used, points_value, points_pieces, cash, points_earned, earn_lot_id,
    created_at, coupon_discount, coupon_ids, mall_funded)
VALUES (@id, @group_id, @mall_id, @merchant_id, @receipt_no, @member_id, @card_id, @pay_card_id, @amount,
    @discount_rate, @payable, @stored_value, @points_used, @points_value, @points_pieces, @cash, @points_earned,
    sqlc.narg(earn_lot_id), @created_at, @coupon_discount, @coupon_ids, @mall_funded);

-- CardStoredValueSince is the stored value a card paid in purchases since a time (a
-- supplementary card's daily limit).
-- name: CardStoredValueSince :one
SELECT coalesce(sum(stored_value), 0)::numeric AS spent FROM loyalty_purchases
WHERE card_id = @card_id AND created_at >= @since;

-- name: LockPurchase :one
SELECT id, member_id, pay_card_id, earn_lot_id, payable, stored_value, points_used, points_value, points_earned,
    refunded, points_pieces, mall_funded, refund_complete
FROM loyalty_purchases WHERE merchant_id = @merchant_id AND receipt_no = @receipt_no FOR UPDATE;

-- name: AddRefunded :exec
UPDATE loyalty_purchases SET refunded = refunded + @amount, refund_complete = @complete WHERE id = @id;

-- name: InsertRefund :exec
INSERT INTO loyalty_refunds (id, purchase_id, amount, stored_value, points_back, points_clawed, cash, created_at,
    coupon_funding)
VALUES (@id, @purchase_id, @amount, @stored_value, @points_back, @points_clawed, @cash, @created_at, @coupon_funding);

-- name: InsertRecharge :exec
INSERT INTO loyalty_recharges (id, group_id, mall_id, card_id, amount, bonus, staff_id, created_at)
VALUES (@id, @group_id, @mall_id, @card_id, @amount, @bonus, sqlc.narg(staff_id), @created_at);

-- name: InsertTransfer :exec
INSERT INTO loyalty_transfers (id, group_id, from_card, to_card, from_member, points, day, created_at)
VALUES (@id, @group_id, @from_card, @to_card, @from_member, @points, @day, @created_at);

-- name: TransferredOn :one
SELECT coalesce(sum(points), 0)::numeric AS points FROM loyalty_transfers WHERE from_member = @from_member AND day = @day;
