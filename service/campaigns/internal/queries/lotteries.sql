-- Lotteries, their prizes and draws.

-- name: InsertLottery :exec
INSERT INTO lotteries (id, mall_id, name, cost_points) VALUES (@id, @mall_id, @name, @cost_points);

-- name: InsertPrize :exec
INSERT INTO lottery_prizes (id, lottery_id, name, odds, stock, points, template_id)
VALUES (@id, @lottery_id, @name, @odds, @stock, @points, sqlc.narg(template_id));

-- name: Lottery :one
SELECT mall_id, name, cost_points, active FROM lotteries WHERE id = @id;

-- name: RunningLotteryIDs :many
SELECT id FROM lotteries WHERE mall_id = @mall_id AND active ORDER BY id;

-- name: Prizes :many
SELECT id, name, odds, stock, won, points, template_id FROM lottery_prizes WHERE lottery_id = @lottery_id ORDER BY id;

-- name: WinPrize :execrows
-- Takes one of the prize's stock (no row: it ran out).
UPDATE lottery_prizes SET won = won + 1 WHERE id = @id AND won < stock;

-- name: InsertDraw :exec
INSERT INTO lottery_draws (id, lottery_id, member_id, prize_id, coupon_id)
VALUES (@id, @lottery_id, @member_id, sqlc.narg(prize_id), sqlc.narg(coupon_id));
