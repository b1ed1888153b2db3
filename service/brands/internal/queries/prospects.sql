-- name: InsertProspect :exec
INSERT INTO brand_prospects (id, group_id, mall_id, brand_id, wanted_area, wanted_unit_ids, owner_staff_id, stage,
    created_at, updated_at)
VALUES (@id, @group_id, @mall_id, @brand_id, @wanted_area, @wanted_unit_ids, @owner_staff_id, 'lead',
    @created_at, @created_at);

-- name: ProspectByID :one
SELECT * FROM brand_prospects WHERE id = @id;

-- name: LockProspect :one
SELECT * FROM brand_prospects WHERE id = @id FOR UPDATE;

-- name: SetStage :exec
UPDATE brand_prospects SET stage = @stage, lost_reason = @lost_reason, lost_note = @lost_note, updated_at = @at
WHERE id = @id;

-- name: InsertStage :exec
INSERT INTO brand_prospect_stages (id, group_id, mall_id, prospect_id, from_stage, to_stage, at, actor_staff_id)
VALUES (@id, @group_id, @mall_id, @prospect_id, @from_stage, @to_stage, @at, @actor_staff_id);

-- name: StagesOfProspect :many
SELECT * FROM brand_prospect_stages WHERE group_id = @group_id AND mall_id = @mall_id AND prospect_id = @prospect_id
ORDER BY at, id;

-- name: ProspectsOfMall :many
-- A page of a mall's prospects in id order; stage '' and owner nil match every one.
SELECT * FROM brand_prospects
WHERE group_id = @group_id AND mall_id = @mall_id AND id > @after
  AND (@stage::text = '' OR stage = @stage)
  AND (sqlc.narg(owner)::uuid IS NULL OR owner_staff_id = sqlc.narg(owner))
ORDER BY id LIMIT @lim;

-- name: ProspectsOfBrand :many
SELECT * FROM brand_prospects WHERE group_id = @group_id AND brand_id = @brand_id ORDER BY id;

-- name: InsertFollowUp :exec
INSERT INTO brand_follow_ups (id, group_id, mall_id, prospect_id, kind, note, next_on, by_staff_id, at)
VALUES (@id, @group_id, @mall_id, @prospect_id, @kind, @note, @next_on, @by_staff_id, @at);

-- name: FollowUpsOfProspect :many
SELECT * FROM brand_follow_ups WHERE group_id = @group_id AND mall_id = @mall_id AND prospect_id = @prospect_id
ORDER BY at, id;

-- name: FunnelStages :many
-- The stage history of a mall's prospects created in [from, to), in order per prospect.
SELECT s.prospect_id, s.to_stage, s.at, p.lost_reason
FROM brand_prospect_stages s JOIN brand_prospects p ON p.id = s.prospect_id
WHERE p.group_id = @group_id AND p.mall_id = @mall_id AND p.created_at >= @from_at AND p.created_at < @to_at
  AND s.group_id = @group_id AND s.mall_id = @mall_id
ORDER BY s.prospect_id, s.at, s.id;
