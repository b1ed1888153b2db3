-- Billing's payment invariants (billing.Service.Verify).

-- name: TenantCreditsAvailable :many
SELECT merchant_id, available FROM billing_tenant_credits WHERE available <> 0;

-- name: PaymentsOffAllocations :many
-- Posted payments whose live allocations plus credit are not their amount.
SELECT ('payment ' || p.id::text || ' amount ' || p.amount || ' allocated ' || coalesce(sum(a.amount), 0) ||
    ' credit ' || p.credit)::text AS breach
FROM billing_payments p LEFT JOIN billing_allocations a ON a.payment_id = p.id AND a.reversed_at IS NULL
WHERE p.status = 'posted'
GROUP BY p.id
HAVING coalesce(sum(a.amount), 0) + p.credit <> p.amount;

-- name: ReversedPaymentsWithAllocations :many
SELECT DISTINCT ('reversed payment ' || payment_id::text || ' keeps live allocations')::text AS breach
FROM billing_allocations a JOIN billing_payments p ON p.id = a.payment_id
WHERE p.status = 'reversed' AND a.reversed_at IS NULL;
