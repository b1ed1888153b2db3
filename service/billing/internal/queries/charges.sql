-- name: VatRates :many
SELECT code, rate FROM billing_vat_rates WHERE group_id = @group_id AND mall_id = @mall_id ORDER BY code;

-- name: UpsertVatRate :exec
INSERT INTO billing_vat_rates (group_id, mall_id, code, rate) VALUES (@group_id, @mall_id, @code, @rate)
ON CONFLICT (group_id, mall_id, code) DO UPDATE SET rate = EXCLUDED.rate;

-- name: InsertOneOff :exec
INSERT INTO billing_one_off_charges (group_id, mall_id, id, contract_id, merchant_id, code, amount, description,
    created_by, created_at)
VALUES (@group_id, @mall_id, @id, @contract_id, @merchant_id, @code, @amount, @description, @created_by, @created_at);

-- name: OneOffByID :one
SELECT * FROM billing_one_off_charges WHERE id = @id;

-- name: OpenOneOffs :many
-- The one-off charges of contracts not billed yet, locked for the batch that bills them.
SELECT * FROM billing_one_off_charges WHERE contract_id = ANY(@contract_ids::uuid[]) AND billed_line IS NULL
ORDER BY id FOR UPDATE;

-- name: MarkOneOffsBilled :exec
UPDATE billing_one_off_charges c SET billed_line = t.line
FROM (SELECT unnest(@ids::uuid[]) AS id, unnest(@lines::uuid[]) AS line) AS t
WHERE c.id = t.id AND c.billed_line IS NULL;

-- name: OneOffsOfMall :many
SELECT * FROM billing_one_off_charges WHERE group_id = @group_id AND mall_id = @mall_id
    AND (@after::uuid = '00000000-0000-0000-0000-000000000000' OR id < @after::uuid)
ORDER BY id DESC LIMIT @max;
