-- Accounts: one per (group, kind, owner, asset), created on first use. Card accounts
-- keep a cached balance; system accounts are the sum of their entries.

-- name: AccountID :one
-- The id of a group's account; never locks it, so hot system accounts stay lock-free.
SELECT id FROM ledger_accounts WHERE group_id = @group_id AND kind = @kind AND owner_id = @owner_id AND asset = @asset;

-- name: AccountIDs :many
-- The ids of those of a group's accounts (kinds[i], owners[i], assets[i]) that exist, in
-- one round trip; never locks them.
SELECT a.id, a.kind, a.owner_id, a.asset FROM ledger_accounts a
JOIN (SELECT unnest(@kinds::text[]) AS kind, unnest(@owners::uuid[]) AS owner_id, unnest(@assets::text[]) AS asset) AS k
    ON a.kind = k.kind AND a.owner_id = k.owner_id AND a.asset = k.asset
WHERE a.group_id = @group_id;

-- name: InsertAccount :exec
INSERT INTO ledger_accounts (id, group_id, kind, owner_id, asset, cached)
VALUES (@id, @group_id, @kind, @owner_id, @asset, @cached) ON CONFLICT DO NOTHING;

-- name: InsertCardAccounts :exec
-- Creates the cached accounts of cards (one row per id/kind/owner/asset) in a stable order.
INSERT INTO ledger_accounts (id, group_id, kind, owner_id, asset, cached)
SELECT i, @group_id::uuid, k, o, a, true
FROM (SELECT unnest(@ids::uuid[]) AS i, unnest(@kinds::text[]) AS k, unnest(@owners::uuid[]) AS o,
    unnest(@assets::text[]) AS a) AS t
ORDER BY o, k, a
ON CONFLICT DO NOTHING;

-- name: LockCardAccounts :exec
-- Locks every cached account of the cards in id order (LockCardsTx): serial per card, free of deadlocks.
SELECT id FROM ledger_accounts WHERE owner_id = ANY(@card_ids::uuid[]) AND cached
ORDER BY id FOR UPDATE;

-- name: CardGroup :one
-- How many of the cards exist, in how many groups, and the first one's group.
SELECT count(*) AS found, count(DISTINCT group_id) AS groups, (array_agg(group_id))[1]::uuid AS group_id
FROM cards WHERE id = ANY(@card_ids::uuid[]);

-- name: AccountBalance :one
SELECT balance FROM ledger_accounts WHERE group_id = @group_id AND kind = @kind AND owner_id = @owner_id AND asset = @asset;

-- name: CardBalances :many
SELECT kind, asset, balance FROM ledger_accounts WHERE owner_id = @card_id AND cached;

-- name: CardsBalance :many
-- The cached balance of one asset on each of some cards (cards without the account are
-- left out).
SELECT owner_id, balance FROM ledger_accounts WHERE kind = 'card' AND asset = @asset AND owner_id = ANY(@cards::uuid[]);
