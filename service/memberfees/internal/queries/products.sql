-- Card products (issue 17): desk sales, renewals, withdrawals, card groups, links.

-- name: InsertSale :exec
INSERT INTO mfee_sales (id, group_id, mall_id, card_id, member_id, price, method, staff_id, shift_id, created_at)
VALUES (@id, @group_id, @mall_id, @card_id, @member_id, @price, 'cash', @staff_id, sqlc.narg(shift_id), @created_at);

-- name: InsertRenewal :exec
INSERT INTO mfee_renewals (id, group_id, card_id, from_expires, to_expires, fee_id, staff_id, created_at)
VALUES (@id, @group_id, @card_id, sqlc.narg(from_expires), @to_expires, sqlc.narg(fee_id), @staff_id, @created_at);

-- name: WithdrawnOn :one
SELECT coalesce(sum(amount), 0)::numeric FROM mfee_withdrawals
WHERE group_id = @group_id AND card_id = @card_id AND day = @day;

-- name: InsertWithdrawal :exec
INSERT INTO mfee_withdrawals (id, group_id, mall_id, card_id, amount, fee, net, day, key, staff_id, shift_id, created_at)
VALUES (@id, @group_id, @mall_id, @card_id, @amount, @fee, @net, @day, @key, @staff_id, sqlc.narg(shift_id), @created_at);

-- name: VerifyWithdrawalKeys :many
SELECT key FROM mfee_withdrawals ORDER BY key;

-- name: VerifySaleIDs :many
SELECT id FROM mfee_sales WHERE price > 0 ORDER BY id;

-- name: InsertCardGroup :exec
INSERT INTO mfee_card_groups (id, group_id, mall_id, name, payer_card_id, payer_company, created_at)
VALUES (@id, @group_id, @mall_id, @name, sqlc.narg(payer_card_id), sqlc.narg(payer_company), @created_at);

-- name: CardGroupByID :one
SELECT * FROM mfee_card_groups WHERE id = @id;

-- name: AddCardGroupMember :exec
INSERT INTO mfee_card_group_members (group_id, card_group_id, card_id, added_at)
VALUES (@group_id, @card_group_id, @card_id, @added_at);

-- name: CardGroupHolders :many
SELECT card_id FROM mfee_card_group_members WHERE group_id = @group_id AND card_group_id = @card_group_id
ORDER BY added_at, card_id;

-- name: CardGroupOfCard :one
SELECT card_group_id FROM mfee_card_group_members WHERE group_id = @group_id AND card_id = @card_id;

-- name: InsertLink :exec
INSERT INTO mfee_links (group_id, head_card_id, card_id, relation, linked_at)
VALUES (@group_id, @head_card_id, @card_id, @relation, @linked_at);

-- name: LinksOfHead :many
SELECT * FROM mfee_links WHERE group_id = @group_id AND head_card_id = @head_card_id ORDER BY linked_at, card_id;

-- name: IsLinked :one
SELECT EXISTS (SELECT 1 FROM mfee_links WHERE group_id = @group_id AND (card_id = @card_id OR head_card_id = @card_id));
