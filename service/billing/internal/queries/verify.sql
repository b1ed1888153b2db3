-- Billing's invariants (billing.Service.Verify): each query lists its breaches as text.

-- name: IssuedOutstanding :many
-- What each merchant owes on its issued bills.
SELECT group_id, merchant_id, sum(outstanding)::numeric AS outstanding FROM billing_bills
WHERE status = 'issued' GROUP BY group_id, merchant_id;

-- name: BillsOffLines :many
SELECT ('bill ' || b.id::text || ' net/vat/gross/outstanding ' || b.net || '/' || b.vat || '/' || b.gross || '/' ||
    b.outstanding || ' lines ' || coalesce(sum(l.net), 0) || '/' || coalesce(sum(l.vat), 0) || '/' ||
    coalesce(sum(l.gross), 0) || '/' || coalesce(sum(l.outstanding), 0))::text AS breach
FROM billing_bills b LEFT JOIN billing_bill_lines l ON l.bill_id = b.id
GROUP BY b.id
HAVING b.net <> coalesce(sum(l.net), 0) OR b.vat <> coalesce(sum(l.vat), 0) OR b.gross <> coalesce(sum(l.gross), 0)
    OR b.outstanding <> coalesce(sum(l.outstanding), 0);

-- name: IssuedPostingKeys :many
-- The issued bills with their posting key ('' when the issue moved nothing) and gross.
SELECT id, posting_key, gross FROM billing_bills WHERE status = 'issued' ORDER BY id;
