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
