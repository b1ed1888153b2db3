-- name: InsertContract :exec
INSERT INTO leasing_contracts (group_id, mall_id, id, merchant_id, brand_id, status, start_on, end_on, created_by,
    created_at, updated_at)
VALUES (sqlc.arg(group_id), sqlc.arg(mall_id), sqlc.arg(id), sqlc.arg(merchant_id), sqlc.arg(brand_id), 'draft',
    sqlc.arg(start_on), sqlc.arg(end_on), sqlc.arg(created_by), sqlc.arg(at), sqlc.arg(at));

-- name: UpdateDraftContract :exec
UPDATE leasing_contracts SET merchant_id = sqlc.arg(merchant_id), brand_id = sqlc.arg(brand_id),
    start_on = sqlc.arg(start_on), end_on = sqlc.arg(end_on), updated_at = sqlc.arg(at)
WHERE id = sqlc.arg(id) AND status = 'draft';

-- name: ContractByID :one
SELECT * FROM leasing_contracts WHERE id = @id;

-- name: ContractsByIDs :many
SELECT * FROM leasing_contracts WHERE id = ANY(@ids::uuid[]) ORDER BY start_on, id;

-- name: LockContract :one
SELECT * FROM leasing_contracts WHERE id = @id FOR UPDATE;

-- name: SetContractStatus :exec
UPDATE leasing_contracts SET status = @status, updated_at = @at WHERE id = @id;

-- name: SetContractTerm :exec
UPDATE leasing_contracts SET start_on = @start_on, end_on = @end_on, updated_at = @at WHERE id = @id;

-- name: SignContract :exec
UPDATE leasing_contracts SET status = 'signed', signed_key = @signed_key, updated_at = @at WHERE id = @id;

-- name: TerminateContract :exec
UPDATE leasing_contracts SET status = 'terminated', terminated_on = @terminated_on,
    termination_reason = @reason, updated_at = @at
WHERE id = @id;

-- name: ContractsOfMall :many
-- A page of the contracts of a mall, oldest first, filtered by status, unit and tenant.
SELECT c.* FROM leasing_contracts c
WHERE c.group_id = @group_id AND c.mall_id = @mall_id AND c.id > @after
    AND (sqlc.narg(status)::text IS NULL OR c.status = sqlc.narg(status))
    AND (sqlc.narg(merchant_id)::uuid IS NULL OR c.merchant_id = sqlc.narg(merchant_id))
    AND (sqlc.narg(unit_id)::uuid IS NULL OR EXISTS (SELECT 1 FROM leasing_contract_units cu
        WHERE cu.contract_id = c.id AND cu.unit_id = sqlc.narg(unit_id)))
ORDER BY c.id LIMIT @max;

-- name: ContractsOfMerchant :many
SELECT * FROM leasing_contracts WHERE merchant_id = @merchant_id AND id > @after ORDER BY id LIMIT @max;

-- name: ContractsOfBrand :many
SELECT * FROM leasing_contracts WHERE brand_id = @brand_id ORDER BY start_on, id;

-- name: DueTransitions :many
-- Signed or active contracts that may have started or ended by the date until (the
-- activation job decides by the date at each mall).
SELECT * FROM leasing_contracts
WHERE status IN ('signed', 'active') AND (start_on <= sqlc.arg(until)::date OR end_on < sqlc.arg(until)::date)
ORDER BY id;

-- name: EndingOfMall :many
-- The running contracts ending from..to, each with whether a renewal is on the way:
-- a renewal version (in any status) or a successor contract on one of its units.
SELECT c.*, (EXISTS (SELECT 1 FROM leasing_contract_versions v WHERE v.group_id = c.group_id
        AND v.contract_id = c.id AND v.kind = 'renewal')
    OR EXISTS (SELECT 1 FROM leasing_contract_units cu JOIN leasing_contract_units nu ON nu.unit_id = cu.unit_id
        JOIN leasing_contracts n ON n.id = nu.contract_id
        WHERE cu.contract_id = c.id AND n.id <> c.id AND n.start_on > c.end_on AND n.status <> 'terminated'))::bool AS renewed
FROM leasing_contracts c
WHERE c.group_id = @group_id AND c.mall_id = @mall_id AND c.status IN ('approved', 'signed', 'active')
    AND c.end_on BETWEEN @from_on::date AND @to_on::date
ORDER BY c.end_on, c.id;

-- name: InsertContractUnit :exec
INSERT INTO leasing_contract_units (group_id, mall_id, contract_id, unit_id) VALUES (@group_id, @mall_id, @contract_id, @unit_id);

-- name: DeleteContractUnits :exec
DELETE FROM leasing_contract_units WHERE contract_id = @contract_id;

-- name: UnitsOfContract :many
SELECT u.* FROM leasing_contract_units cu JOIN leasing_units u ON u.id = cu.unit_id
WHERE cu.contract_id = @contract_id ORDER BY u.code;

-- name: HoldUnits :exec
-- The contract holds its units from..to (both included); the exclusion constraint refuses
-- a day another contract holds.
UPDATE leasing_contract_units SET held = daterange(@from_on::date, @to_on::date, '[]') WHERE contract_id = @contract_id;

-- name: TenantsHolding :many
-- The merchants whose contracts hold a unit of the mall on some day of [from_on, to_on]
-- (draft and submitted contracts hold nothing; a terminated one up to its end).
SELECT DISTINCT c.merchant_id FROM leasing_contracts c
JOIN leasing_contract_units cu ON cu.contract_id = c.id
WHERE c.group_id = @group_id AND c.mall_id = @mall_id
  AND cu.held && daterange(@from_on::date, @to_on::date, '[]')
ORDER BY c.merchant_id;

-- name: BillableContracts :many
-- A keyset page of the contracts of a mall a bill run of [from_on, to_on] works: those
-- that held their units (approved and later) from a day by to_on and ended no earlier
-- than since_on (ended contracts still get their late lines: adjustments, true-ups).
SELECT * FROM leasing_contracts
WHERE group_id = @group_id AND mall_id = @mall_id AND id > @after
    AND status IN ('approved', 'signed', 'active', 'expired', 'terminated')
    AND start_on <= @to_on::date AND coalesce(terminated_on, end_on) >= @since_on::date
ORDER BY id LIMIT @max;

-- name: CountBillableContracts :one
SELECT count(*)::int FROM leasing_contracts
WHERE group_id = @group_id AND mall_id = @mall_id
    AND status IN ('approved', 'signed', 'active', 'expired', 'terminated')
    AND start_on <= @to_on::date AND coalesce(terminated_on, end_on) >= @since_on::date;
