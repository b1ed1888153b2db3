-- Gifts exchanged for points, and the exchanges.

-- name: InsertGift :exec
INSERT INTO gifts (id, mall_id, name, points_cost, stock, template_id)
VALUES (@id, @mall_id, @name, @points_cost, @stock, sqlc.narg(template_id));

-- name: Gifts :many
SELECT id, mall_id, name, points_cost, stock, exchanged, template_id FROM gifts WHERE mall_id = @mall_id ORDER BY id;

-- name: TakeGift :one
-- Takes one of the gift's stock (no row: sold out, or no such gift).
UPDATE gifts SET exchanged = exchanged + 1 WHERE id = @id AND exchanged < stock RETURNING points_cost, template_id;

-- name: GiftExists :one
SELECT EXISTS (SELECT 1 FROM gifts WHERE id = @id) AS found;

-- name: InsertGiftExchange :exec
INSERT INTO gift_exchanges (id, gift_id, member_id, points, coupon_id)
VALUES (@id, @gift_id, @member_id, @points, sqlc.narg(coupon_id));
