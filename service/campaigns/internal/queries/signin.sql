-- Daily sign-in campaigns and sign-ins.

-- name: InsertSignInCampaign :exec
INSERT INTO signin_campaigns (id, mall_id, name, daily_points, rewards) VALUES (@id, @mall_id, @name, @daily_points, @rewards);

-- name: SignInCampaign :one
SELECT id, mall_id, name, daily_points, rewards, active FROM signin_campaigns WHERE id = @id;

-- name: RunningSignInCampaigns :many
SELECT id, mall_id, name, daily_points, rewards, active FROM signin_campaigns WHERE mall_id = @mall_id AND active ORDER BY id;

-- name: SignInStreak :one
SELECT streak FROM signins WHERE campaign_id = @campaign_id AND member_id = @member_id AND day = @day;

-- name: InsertSignIn :execrows
-- Once a day per member (no row: signed in already).
INSERT INTO signins (campaign_id, member_id, day, streak, points) VALUES (@campaign_id, @member_id, @day, @streak, 0)
ON CONFLICT DO NOTHING;

-- name: SetSignInReward :exec
UPDATE signins SET points = @points, coupon_id = sqlc.narg(coupon_id)
WHERE campaign_id = @campaign_id AND member_id = @member_id AND day = @day;
