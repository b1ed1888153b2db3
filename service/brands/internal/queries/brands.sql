-- name: InsertBrand :exec
INSERT INTO brands (id, group_id, name, normalized_name, category, grade, notes, created_at, updated_at)
VALUES (@id, @group_id, @name, @normalized_name, @category, @grade, @notes, @created_at, @created_at);

-- name: UpdateBrand :execrows
UPDATE brands SET name = @name, normalized_name = @normalized_name, category = @category, grade = @grade,
    notes = @notes, updated_at = @updated_at
WHERE id = @id;

-- name: BrandByID :one
SELECT * FROM brands WHERE id = @id;

-- name: BrandByNormalizedName :one
-- The brand holding a normalised name in a group (to name it in DUPLICATE_BRAND).
SELECT * FROM brands WHERE group_id = @group_id AND normalized_name = @normalized_name;

-- name: SearchBrands :many
-- A page of a group's brands in id (creation) order; prefix '' matches every name,
-- category and grade '' every value.
SELECT * FROM brands
WHERE group_id = @group_id AND id > @after
  AND normalized_name LIKE @prefix::text || '%'
  AND (@category::text = '' OR category = @category)
  AND (@grade::text = '' OR grade = @grade)
ORDER BY id LIMIT @lim;

-- name: InsertContact :exec
INSERT INTO brand_contacts (id, group_id, brand_id, name, role, phone, email, created_at)
VALUES (@id, @group_id, @brand_id, @name, @role, @phone, @email, @created_at);

-- name: ContactsOfBrand :many
SELECT * FROM brand_contacts WHERE group_id = @group_id AND brand_id = @brand_id ORDER BY id;

-- name: InsertAttachment :exec
INSERT INTO brand_attachments (id, group_id, brand_id, object_key, filename, content_type, size_bytes, created_at)
VALUES (@id, @group_id, @brand_id, @object_key, @filename, @content_type, @size_bytes, @created_at);

-- name: AttachmentsOfBrand :many
SELECT * FROM brand_attachments WHERE group_id = @group_id AND brand_id = @brand_id ORDER BY id;
