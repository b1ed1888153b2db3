-- The ledger's invariants (atrium ledger verify): each query lists its breaches as text.

-- name: UnbalancedPostings :many
SELECT (posting_id::text || ' ' || asset || ' sums to ' || sum(amount))::text AS breach
FROM ledger_entries GROUP BY posting_id, asset HAVING sum(amount) <> 0;

-- name: PostingsUnderTwoEntries :many
SELECT (p.id::text || ' has ' || count(e.id) || ' entries')::text AS breach
FROM ledger_postings p LEFT JOIN ledger_entries e ON e.posting_id = p.id
GROUP BY p.id HAVING count(e.id) < 2;

-- name: EntryAssetMismatches :many
SELECT e.id::text AS breach FROM ledger_entries e
JOIN ledger_accounts a ON a.id = e.account_id WHERE a.asset <> e.asset;

-- name: BalancesOffEntries :many
SELECT (a.id::text || ' ' || a.kind || '/' || a.asset || ' balance ' || a.balance ||
    ' entries ' || coalesce(sum(e.amount), 0))::text AS breach
FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
WHERE a.cached GROUP BY a.id HAVING a.balance <> coalesce(sum(e.amount), 0);

-- name: NegativeBalances :many
SELECT (id::text || ' ' || kind || '/' || asset || ' = ' || balance)::text AS breach
FROM ledger_accounts WHERE cached AND balance < 0 AND NOT (kind = 'card' AND asset = 'points');

-- name: LotsOffMoves :many
SELECT (l.id::text || ' remaining ' || l.remaining || ' moves ' || coalesce(sum(m.amount), 0))::text AS breach
FROM ledger_lots l LEFT JOIN ledger_lot_moves m ON m.lot_id = l.id
GROUP BY l.id HAVING l.remaining <> coalesce(sum(m.amount), 0);

-- name: AvailableLotsOffBalance :many
SELECT (a.owner_id::text || ' balance ' || a.balance || ' lots ' || coalesce(sum(l.remaining), 0))::text AS breach
FROM ledger_accounts a LEFT JOIN ledger_lots l ON l.card_id = a.owner_id AND l.status = 'available'
WHERE a.kind = 'card' AND a.asset = 'points'
GROUP BY a.id HAVING greatest(a.balance, 0) <> coalesce(sum(l.remaining), 0);

-- name: PendingLotsOffBalance :many
SELECT (a.owner_id::text || ' balance ' || a.balance || ' lots ' || coalesce(sum(l.remaining), 0))::text AS breach
FROM ledger_accounts a LEFT JOIN ledger_lots l ON l.card_id = a.owner_id AND l.status = 'pending'
WHERE a.kind = 'card_pending'
GROUP BY a.id HAVING a.balance <> coalesce(sum(l.remaining), 0);

-- name: ClosedLotsNotEmpty :many
SELECT (id::text || ' ' || status || ' remaining ' || remaining)::text AS breach
FROM ledger_lots WHERE status IN ('expired', 'moved') AND remaining <> 0;
