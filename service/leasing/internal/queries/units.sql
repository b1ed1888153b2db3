-- name: InsertUnit :exec
INSERT INTO leasing_units (group_id, mall_id, id, code, kind, floor, zone, gross_area, lettable_area, off_market, created_at)
VALUES (@group_id, @mall_id, @id, @code, @kind, @floor, @zone, @gross_area, @lettable_area, @off_market, @created_at);

-- name: UpdateUnit :exec
UPDATE leasing_units SET kind = @kind, floor = @floor, zone = @zone, gross_area = @gross_area,
    lettable_area = @lettable_area, off_market = @off_market
WHERE id = @id;

-- name: UnitByID :one
SELECT * FROM leasing_units WHERE id = @id;

-- name: UnitsOfMall :many
-- A page of a malls units (optionally of one floor), oldest first.
SELECT * FROM leasing_units
WHERE group_id = @group_id AND mall_id = @mall_id AND (sqlc.narg(floor)::text IS NULL OR floor = sqlc.narg(floor))
    AND id > @after
ORDER BY id LIMIT @max;

-- name: AllUnitsOfMall :many
-- Every unit of a mall (optionally of one floor), by floor and code: the vacancy view.
SELECT * FROM leasing_units
WHERE group_id = @group_id AND mall_id = @mall_id AND (sqlc.narg(floor)::text IS NULL OR floor = sqlc.narg(floor))
ORDER BY floor, code;

-- name: HoldsOfMall :many
-- Every hold on a unit of the mall: which contract holds it for which days, with the
-- terms of the contracts latest approved version (its fit-out abatements).
SELECT cu.unit_id, cu.contract_id, c.merchant_id, c.status, lower(cu.held)::date AS held_from,
    (upper(cu.held) - 1)::date AS held_to,
    (SELECT v.terms FROM leasing_contract_versions v WHERE v.group_id = c.group_id AND v.contract_id = c.id
        AND v.status = 'approved' ORDER BY v.number DESC LIMIT 1)::jsonb AS terms
FROM leasing_contract_units cu JOIN leasing_contracts c ON c.id = cu.contract_id
WHERE cu.group_id = @group_id AND cu.mall_id = @mall_id AND cu.held IS NOT NULL;

-- name: UnitHeldByMerchant :one
-- Whether a contract of the merchant (in any status) lets the unit: the tenants view.
SELECT EXISTS (SELECT 1 FROM leasing_contract_units cu JOIN leasing_contracts c ON c.id = cu.contract_id
    WHERE cu.unit_id = @unit_id AND c.merchant_id = @merchant_id)::bool;

-- name: ContractIDsOfUnit :many
-- The contracts that let a unit, by start: its occupancy history.
SELECT c.id FROM leasing_contract_units cu JOIN leasing_contracts c ON c.id = cu.contract_id
WHERE cu.group_id = @group_id AND cu.unit_id = @unit_id ORDER BY c.start_on, c.id;

-- name: UnitHolder :one
-- A unit's mall and the merchant whose contract holds it on a day (the nil uuid when none).
SELECT u.mall_id,
       COALESCE((SELECT c.merchant_id FROM leasing_contract_units cu JOIN leasing_contracts c ON c.id = cu.contract_id
        WHERE cu.unit_id = u.id AND cu.held @> @day::date LIMIT 1), '00000000-0000-0000-0000-000000000000')::uuid AS holder
FROM leasing_units u WHERE u.id = @unit_id;
