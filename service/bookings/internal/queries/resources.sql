-- Bookable resources of a mall.

-- name: InsertResource :exec
INSERT INTO booking_resources (id, mall_id, name, kind, free_cancel_hours, price_points, price_amount)
VALUES (@id, @mall_id, @name, @kind, @free_cancel_hours, @price_points, @price_amount);

-- name: ResourceMall :one
SELECT mall_id FROM booking_resources WHERE id = @id;

-- name: Resource :one
SELECT id, mall_id, name, kind, free_cancel_hours, price_points, price_amount FROM booking_resources WHERE id = @id;

-- name: ResourcesOfMall :many
SELECT id, mall_id, name, kind, free_cancel_hours, price_points, price_amount FROM booking_resources
WHERE mall_id = @mall_id ORDER BY id;

-- name: ResourcesByID :many
SELECT id, mall_id, name, kind, free_cancel_hours, price_points, price_amount FROM booking_resources
WHERE id = ANY(@ids::uuid[]);
