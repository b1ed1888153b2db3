-- Gifts exchanged for points, and the exchanges.

-- name: InsertGift :exec
INSERT INTO gifts (id, mall_id, name, points_cost, stock, template_id, warehouse_id, wh_item_id)
VALUES (@id, @mall_id, @name, @points_cost, @stock, sqlc.narg(template_id), sqlc.narg(warehouse_id), sqlc.narg(wh_item_id));

-- name: Gifts :many
-- A gift stocked in a warehouse counts its exchanges (its stock is the warehouse's).
SELECT id, mall_id, name, points_cost, stock, template_id, warehouse_id, wh_item_id,
    CASE WHEN warehouse_id IS NULL THEN exchanged
        ELSE (SELECT count(*) FROM gift_exchanges e WHERE e.gift_id = gifts.id)::integer END::integer AS exchanged
FROM gifts WHERE mall_id = @mall_id ORDER BY id;

-- name: GiftForExchange :one
SELECT points_cost, template_id, warehouse_id, wh_item_id FROM gifts WHERE id = @id;

-- name: TakeGift :one
-- Takes one of the gift's stock (no row: sold out, or no such gift).
UPDATE gifts SET exchanged = exchanged + 1 WHERE id = @id AND exchanged < stock AND warehouse_id IS NULL
RETURNING points_cost, template_id;

-- name: InsertGiftExchange :exec
INSERT INTO gift_exchanges (id, gift_id, member_id, points, coupon_id)
VALUES (@id, @gift_id, @member_id, @points, sqlc.narg(coupon_id));
