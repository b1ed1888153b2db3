-- The ledger's reads of members' cards table (listed in internal/archtest crossReads):
-- ledger sits below members in the import graph, so it cannot call members.

-- name: MemberCard :one
-- The member's active primary card to pay with or credit: one covering need (the
-- largest balance), else the one holding the most, oldest first on ties.
SELECT c.id FROM cards c
LEFT JOIN ledger_accounts a ON a.owner_id = c.id AND a.kind = 'card' AND a.asset = @asset
WHERE c.member_id = @member_id AND c.status = 'active' AND c.primary_card_id IS NULL
ORDER BY coalesce(a.balance, 0) >= @need::numeric DESC, coalesce(a.balance, 0) DESC, c.issued_at, c.id LIMIT 1;

-- name: CurrentCard :one
-- Follows a card's chain of reissues (replaced_by) to the card holding its value now.
WITH RECURSIVE chain(id, next, depth) AS (
    SELECT cards.id, cards.replaced_by, 0 FROM cards WHERE cards.id = @id
    UNION ALL SELECT c.id, c.replaced_by, chain.depth + 1 FROM cards c JOIN chain ON c.id = chain.next
    WHERE chain.depth < 50)
SELECT id FROM chain ORDER BY depth DESC LIMIT 1;
