-- name: InsertVisit :exec
INSERT INTO visits (id, mall_id, device_id, card_uid, card_id, member_id, at, business_day, result, reason)
VALUES (@id, @mall_id, @device_id, @card_uid, sqlc.narg(card_id), sqlc.narg(member_id), @at, @business_day,
        @result, @reason);

-- name: InsertVisitAward :execrows
-- At most one award per member and business day: none when the day's is recorded.
INSERT INTO visit_awards (member_id, business_day, mall_id, visit_id, card_id, points)
VALUES (@member_id, @business_day, @mall_id, @visit_id, @card_id, @points)
ON CONFLICT DO NOTHING;

-- name: SetAwardPosting :exec
UPDATE visit_awards SET posting_id = @posting_id::uuid WHERE member_id = @member_id AND business_day = @business_day;

-- name: MallVisits :many
SELECT id, device_id, card_uid, member_id, at, result, reason
FROM visits
WHERE mall_id = @mall_id AND at >= @since AND at < @until
ORDER BY at, id;
