-- name: InsertVersion :exec
INSERT INTO leasing_contract_versions (group_id, mall_id, contract_id, number, kind, status, effective_from, terms,
    annual_rent, created_by, created_at)
VALUES (@group_id, @mall_id, @contract_id, @number, @kind, 'draft', @effective_from, @terms, @annual_rent, @created_by, @now);

-- name: UpdateDraftVersion :exec
UPDATE leasing_contract_versions SET effective_from = @effective_from, terms = @terms, annual_rent = @annual_rent
WHERE group_id = @group_id AND contract_id = @contract_id AND number = @number AND status = 'draft';

-- name: VersionsOfContract :many
SELECT * FROM leasing_contract_versions WHERE group_id = @group_id AND contract_id = @contract_id ORDER BY number;

-- name: OpenVersion :one
-- The contracts version that is a draft or submitted (at most one), locked.
SELECT * FROM leasing_contract_versions
WHERE group_id = @group_id AND contract_id = @contract_id AND status IN ('draft', 'submitted')
FOR UPDATE;

-- name: LastVersionNumber :one
SELECT coalesce(max(number), 0)::int FROM leasing_contract_versions WHERE group_id = @group_id AND contract_id = @contract_id;

-- name: SubmitVersion :exec
UPDATE leasing_contract_versions SET status = 'submitted', round = round + 1, submitted_by = @submitted_by
WHERE group_id = @group_id AND contract_id = @contract_id AND number = @number;

-- name: RejectVersion :exec
UPDATE leasing_contract_versions SET status = 'draft'
WHERE group_id = @group_id AND contract_id = @contract_id AND number = @number;

-- name: ApproveVersion :exec
UPDATE leasing_contract_versions SET status = 'approved', approved_at = @now
WHERE group_id = @group_id AND contract_id = @contract_id AND number = @number;

-- name: VersionsOfContracts :many
SELECT * FROM leasing_contract_versions WHERE group_id = @group_id AND contract_id = ANY(@contract_ids::uuid[])
ORDER BY contract_id, number;
