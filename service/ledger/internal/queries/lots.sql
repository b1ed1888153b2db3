-- Points lots and their moves: every change of a lot's remaining is a move tied to a posting.

-- name: InsertLot :exec
-- A new lot on the card's points account.
INSERT INTO ledger_lots (id, account_id, card_id, status, amount, remaining, available_at, expires_at, posting_id, created_at)
SELECT @id::uuid, a.id, @card_id::uuid, @status::text, @amount::numeric, @remaining::numeric, @available_at::timestamptz,
    @expires_at::timestamptz, @posting_id::uuid, @created_at::timestamptz FROM ledger_accounts a
WHERE a.owner_id = @card_id::uuid AND a.kind = 'card' AND a.asset = 'points';

-- name: InsertLotMove :exec
INSERT INTO ledger_lot_moves (lot_id, posting_id, amount) VALUES (@lot_id, @posting_id, @amount);

-- name: LotsToTake :many
-- The card's lots of status with points left: the first lot (when given) first, then the earliest-expiring.
SELECT id, remaining, available_at, expires_at FROM ledger_lots
WHERE card_id = @card_id AND status = @status AND remaining > 0
ORDER BY (id = @first::uuid) DESC, expires_at, id;

-- name: TakeFromLot :exec
UPDATE ledger_lots SET remaining = remaining - @take::numeric WHERE id = @id;

-- name: SetLotStatus :exec
UPDATE ledger_lots SET status = @status WHERE id = @id;

-- name: CloseEmptyLots :exec
-- After a move: the card's emptied lots of the statuses from become status.
UPDATE ledger_lots SET status = @status WHERE card_id = @card_id AND remaining = 0
    AND status = ANY(@from_statuses::text[]);

-- name: CardLots :many
SELECT id, card_id, status, amount, remaining, available_at, expires_at
FROM ledger_lots WHERE card_id = @card_id AND remaining > 0 ORDER BY expires_at, id;

-- name: PendingOfLot :one
-- What remains of the lot while it is still pending on the card (else zero).
SELECT coalesce(sum(remaining), 0)::numeric AS remaining FROM ledger_lots
WHERE id = @id AND card_id = @card_id AND status = 'pending';

-- name: CardsWithReleaseDue :many
SELECT DISTINCT card_id FROM ledger_lots WHERE status = 'pending' AND available_at <= @now;

-- name: ReleaseDueLots :many
SELECT id, remaining, available_at, expires_at FROM ledger_lots
WHERE card_id = @card_id AND status = 'pending' AND available_at <= @now ORDER BY expires_at, id;

-- name: CardsWithExpiryDue :many
SELECT DISTINCT card_id FROM ledger_lots
WHERE status = 'available' AND remaining > 0 AND expires_at <= @now;

-- name: ExpiryDueLots :many
SELECT id, remaining, available_at, expires_at FROM ledger_lots
WHERE card_id = @card_id AND status = 'available' AND remaining > 0 AND expires_at <= @now ORDER BY expires_at, id;
