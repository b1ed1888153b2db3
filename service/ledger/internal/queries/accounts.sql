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

-- name: LockCardAccounts :many
-- Locks every cached account of the cards in id order (LockCardsTx): serial per card, free of deadlocks.
-- Each account comes with its card's group (no row for an account whose card does not exist), so
-- LockCardsTx can tell in this one statement that the cards exist, share a group and have all
-- their accounts.
SELECT a.id, a.kind, a.owner_id, a.asset, c.group_id FROM ledger_accounts a JOIN cards c ON c.id = a.owner_id
WHERE a.owner_id = ANY(@card_ids::uuid[]) AND a.cached
ORDER BY a.id FOR UPDATE OF a;

-- name: LockCardAccountsOf :many
-- LockCardAccounts for one card (the usual lock set: a fixed shape, so PostgreSQL keeps one
-- generic plan for it instead of planning every call).
SELECT a.id, a.kind, a.owner_id, a.asset, c.group_id FROM ledger_accounts a JOIN cards c ON c.id = a.owner_id
WHERE a.owner_id = @card_id::uuid AND a.cached
ORDER BY a.id FOR UPDATE OF a;

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
