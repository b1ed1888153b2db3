-- name: InsertApproval :exec
INSERT INTO leasing_approvals (group_id, mall_id, id, contract_id, version, round, decision, role, staff_id, amount, note, at)
VALUES (@group_id, @mall_id, @id, @contract_id, @version, @round, @decision, @role, @staff_id, @amount, @note, @at);

-- name: ApprovalsOfContract :many
SELECT * FROM leasing_approvals WHERE group_id = @group_id AND contract_id = @contract_id ORDER BY at, id;

-- name: LimitsOfMall :many
SELECT role, max_annual_rent FROM leasing_approval_limits WHERE group_id = @group_id AND mall_id = @mall_id;

-- name: UpsertLimit :exec
INSERT INTO leasing_approval_limits (group_id, mall_id, role, max_annual_rent)
VALUES (@group_id, @mall_id, @role, sqlc.narg(max_annual_rent))
ON CONFLICT (group_id, mall_id, role) DO UPDATE SET max_annual_rent = EXCLUDED.max_annual_rent;
