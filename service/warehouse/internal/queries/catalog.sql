-- Catalogue: categories, items, warehouses, suppliers of a mall.

-- name: InsertCategory :exec
INSERT INTO wh_categories (id, group_id, mall_id, parent_id, name)
VALUES (@id, @group_id, @mall_id, sqlc.narg(parent_id), @name);

-- name: Category :one
SELECT * FROM wh_categories WHERE id = @id;

-- name: CategoriesOfMall :many
SELECT * FROM wh_categories WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY name;

-- name: InsertItem :exec
INSERT INTO wh_items (id, group_id, mall_id, category_id, name, unit, barcode)
VALUES (@id, @group_id, @mall_id, @category_id, @name, @unit, sqlc.narg(barcode));

-- name: Item :one
SELECT * FROM wh_items WHERE id = @id;

-- name: ItemsOfMall :many
SELECT * FROM wh_items WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY name, id;

-- name: InsertWarehouse :exec
INSERT INTO wh_warehouses (id, group_id, mall_id, code, name) VALUES (@id, @group_id, @mall_id, @code, @name);

-- name: Warehouse :one
SELECT * FROM wh_warehouses WHERE id = @id;

-- name: WarehousesOfMall :many
SELECT * FROM wh_warehouses WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY code;

-- name: InsertSupplier :exec
INSERT INTO wh_suppliers (id, group_id, mall_id, name, contact, phone)
VALUES (@id, @group_id, @mall_id, @name, @contact, @phone);

-- name: Supplier :one
SELECT * FROM wh_suppliers WHERE id = @id;

-- name: SuppliersOfMall :many
SELECT * FROM wh_suppliers WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY name;
