-- Postings and their entries: immutable (a trigger refuses UPDATE and DELETE).

-- name: InsertPosting :exec
INSERT INTO ledger_postings (id, group_id, kind, key, memo, created_at)
VALUES (@id, @group_id, @kind, @key, @memo, @created_at);

-- name: ApplyLeg :one
-- Changes a cached balance: a debit may not take it below zero unless allow_negative.
UPDATE ledger_accounts SET balance = balance + @amount::numeric
WHERE id = @id AND (@allow_negative::boolean OR @amount::numeric > 0 OR balance + @amount::numeric >= 0) RETURNING balance;

-- name: InsertEntries :exec
INSERT INTO ledger_entries (posting_id, account_id, asset, amount)
SELECT @posting_id::uuid, a, s, m
FROM (SELECT unnest(@account_ids::uuid[]) AS a, unnest(@assets::text[]) AS s, unnest(@amounts::numeric[]) AS m) AS t;

-- name: PostingExists :one
-- Whether a posting with key exists, and whether it touched only the cards' accounts.
SELECT count(*) > 0 AS found, coalesce(bool_and(a.owner_id = ANY(@cards::uuid[])), false)::boolean AS same_cards
FROM ledger_postings p JOIN ledger_entries e ON e.posting_id = p.id
JOIN ledger_accounts a ON a.id = e.account_id AND a.cached
WHERE p.key = @key;

-- name: PostingCredits :one
-- What the posting with key credited in all (a card refund's payout).
SELECT coalesce(sum(e.amount), 0)::numeric AS amount FROM ledger_entries e
JOIN ledger_postings p ON p.id = e.posting_id WHERE p.key = @key AND e.amount > 0;

-- name: CardHistory :many
-- The postings that moved a card's balances, newest first, before the cursor.
SELECT p.id, p.kind, p.memo, p.created_at,
    coalesce(sum(e.amount) FILTER (WHERE a.kind = 'card' AND a.asset = 'points'), 0)::numeric AS points,
    coalesce(sum(e.amount) FILTER (WHERE a.kind = 'card_pending'), 0)::numeric AS pending_points,
    coalesce(sum(e.amount) FILTER (WHERE a.asset = 'cny'), 0)::numeric AS stored_value,
    coalesce(sum(e.amount) FILTER (WHERE a.asset = 'uses'), 0)::numeric AS uses
FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
JOIN ledger_postings p ON p.id = e.posting_id
WHERE a.owner_id = @card_id AND a.cached AND p.id < @after
GROUP BY p.id ORDER BY p.id DESC LIMIT @lim;

-- name: InsertEntriesByAccount :many
-- Inserts a posting's entries on the group's accounts named (kinds[i], owners[i], assets[i]),
-- in the order given, finding each account by its key in the statement that writes the
-- entry: an account that does not exist yet gets no entry (PostTx creates it and inserts
-- that entry by id). It returns the accounts that got an entry.
INSERT INTO ledger_entries (posting_id, account_id, asset, amount)
SELECT @posting_id::uuid, a.id, k.asset, k.amount
FROM (SELECT unnest(@kinds::text[]) AS kind, unnest(@owners::uuid[]) AS owner_id, unnest(@assets::text[]) AS asset,
    unnest(@amounts::numeric[]) AS amount, generate_series(1, cardinality(@kinds::text[])) AS ord) AS k
CROSS JOIN LATERAL (SELECT a.id FROM ledger_accounts a
    WHERE a.group_id = @group_id::uuid AND a.kind = k.kind AND a.owner_id = k.owner_id AND a.asset = k.asset
    LIMIT 1) AS a
ORDER BY k.ord
RETURNING account_id;

-- name: ApplyLegsByAccount :many
-- Changes the cached balances of the group's accounts named (kinds[i], owners[i], assets[i])
-- by amounts[i], finding each account by its key and locking them in id order first: a
-- debit may not take a balance below zero unless allow_negative[i]; a credit is always
-- fine. It returns the accounts changed with their new balances; a refused debit, or an
-- account that does not exist, returns no row.
WITH locked AS (
    SELECT a.id, k.amount, k.allow_negative
    FROM (SELECT unnest(@kinds::text[]) AS kind, unnest(@owners::uuid[]) AS owner_id, unnest(@assets::text[]) AS asset,
        unnest(@amounts::numeric[]) AS amount, unnest(@allow_negative::boolean[]) AS allow_negative) AS k
    CROSS JOIN LATERAL (SELECT a.id FROM ledger_accounts a
        WHERE a.group_id = @group_id::uuid AND a.kind = k.kind AND a.owner_id = k.owner_id AND a.asset = k.asset
            AND a.cached
        LIMIT 1) AS f
    JOIN ledger_accounts a ON a.id = f.id
    ORDER BY a.id FOR UPDATE OF a
)
UPDATE ledger_accounts a SET balance = a.balance + l.amount
FROM locked l
WHERE a.id = l.id AND (l.allow_negative OR l.amount > 0 OR a.balance + l.amount >= 0)
RETURNING a.id, a.kind, a.owner_id, a.asset, a.balance;

-- name: InsertTwoEntriesByAccount :many
-- InsertEntriesByAccount for a posting of two legs (the usual one: a fixed shape, so
-- PostgreSQL keeps one generic plan for it instead of planning every call).
INSERT INTO ledger_entries (posting_id, account_id, asset, amount)
SELECT @posting_id::uuid, a.id, k.asset, k.amount
FROM (VALUES (@kind1::text, @owner1::uuid, @asset1::text, @amount1::numeric, 1),
    (@kind2::text, @owner2::uuid, @asset2::text, @amount2::numeric, 2)) AS k (kind, owner_id, asset, amount, ord)
CROSS JOIN LATERAL (SELECT a.id FROM ledger_accounts a
    WHERE a.group_id = @group_id::uuid AND a.kind = k.kind AND a.owner_id = k.owner_id AND a.asset = k.asset
    LIMIT 1) AS a
ORDER BY k.ord
RETURNING account_id;

-- name: ApplyLegByAccount :many
-- ApplyLegsByAccount for one cached leg (the usual posting has one): the account found by
-- its key, locked by the update itself (one row, no order to keep); a fixed shape, so
-- PostgreSQL keeps one generic plan for it.
UPDATE ledger_accounts SET balance = balance + @amount::numeric
WHERE group_id = @group_id::uuid AND kind = @kind::text AND owner_id = @owner_id::uuid AND asset = @asset::text AND cached
    AND (@allow_negative::boolean OR @amount::numeric > 0 OR balance + @amount::numeric >= 0)
RETURNING id, kind, owner_id, asset, balance;

-- name: InsertDerivedAccounts :exec
-- Creates the derived (non-cached) accounts among (kinds[i], owners[i], assets[i]) of a
-- group that do not exist yet, in a stable order (PostManyTx).
INSERT INTO ledger_accounts (id, group_id, kind, owner_id, asset, cached)
SELECT i, @group_id::uuid, k, o, a, false
FROM (SELECT unnest(@ids::uuid[]) AS i, unnest(@kinds::text[]) AS k, unnest(@owners::uuid[]) AS o,
    unnest(@assets::text[]) AS a) AS t
ORDER BY k, o, a
ON CONFLICT DO NOTHING;

-- name: InsertPostingsMany :many
-- Inserts many postings of a group; a key used before is skipped. It returns the ids of
-- the postings inserted now.
INSERT INTO ledger_postings (id, group_id, kind, key, memo, created_at)
SELECT i, @group_id::uuid, k, y, m, @created_at::timestamptz
FROM (SELECT unnest(@ids::uuid[]) AS i, unnest(@kinds::text[]) AS k, unnest(@keys::text[]) AS y,
    unnest(@memos::text[]) AS m) AS t
ON CONFLICT (key) DO NOTHING
RETURNING id;

-- name: InsertEntriesMany :execrows
-- Inserts the entries of many postings, accounts by name, for the postings that exist
-- (those InsertPostingsMany skipped get none).
INSERT INTO ledger_entries (posting_id, account_id, asset, amount)
SELECT p.id, a.id, k.asset, k.amount
FROM (SELECT unnest(@posting_ids::uuid[]) AS posting_id, unnest(@kinds::text[]) AS kind,
    unnest(@owners::uuid[]) AS owner_id, unnest(@assets::text[]) AS asset, unnest(@amounts::numeric[]) AS amount,
    generate_series(1, cardinality(@kinds::text[])) AS ord) AS k
JOIN ledger_postings p ON p.id = k.posting_id
JOIN ledger_accounts a ON a.group_id = @group_id::uuid AND a.kind = k.kind AND a.owner_id = k.owner_id
    AND a.asset = k.asset
ORDER BY k.ord;

-- name: DerivedBalancesOfKind :many
-- The balance (sum of entries) of every account of a kind and asset.
SELECT a.group_id, a.owner_id, coalesce(sum(e.amount), 0)::numeric AS balance
FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
WHERE a.kind = @kind AND a.asset = @asset
GROUP BY a.group_id, a.owner_id;

-- name: PostingKeysWithPrefix :many
SELECT key FROM ledger_postings WHERE key LIKE @prefix::text || '%' ORDER BY key;

-- name: CountCardHistory :one
-- How many postings CardHistory lists for a card (an export's total).
SELECT count(DISTINCT e.posting_id) FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
WHERE a.owner_id = @card_id AND a.cached;
