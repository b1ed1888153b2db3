-- Member fees (issue 17): policies, fees due, their postings, waivers.

-- name: PolicyOf :one
SELECT * FROM mfee_policies WHERE group_id = @group_id;

-- name: UpsertPolicy :exec
INSERT INTO mfee_policies (group_id, payment_days, grace_days, penalty_mode, penalty_daily_rate, penalty_fixed,
                           penalty_cap, remind_days, updated_at)
VALUES (@group_id, @payment_days, @grace_days, @penalty_mode, @penalty_daily_rate, @penalty_fixed,
        sqlc.narg(penalty_cap), @remind_days, @updated_at)
ON CONFLICT (group_id) DO UPDATE SET payment_days = excluded.payment_days, grace_days = excluded.grace_days,
    penalty_mode = excluded.penalty_mode, penalty_daily_rate = excluded.penalty_daily_rate,
    penalty_fixed = excluded.penalty_fixed, penalty_cap = excluded.penalty_cap, remind_days = excluded.remind_days,
    updated_at = excluded.updated_at;

-- name: InsertFee :one
-- A fee of a card, kind and period; nothing when it exists (a rerun).
INSERT INTO mfee_fees (id, group_id, mall_id, card_id, member_id, payer_id, kind, period, amount, due_on, status,
                       penalty_of, created_at)
VALUES (@id, @group_id, @mall_id, @card_id, @member_id, @payer_id, @kind, @period, @amount, @due_on, 'open',
        sqlc.narg(penalty_of), @created_at)
ON CONFLICT (group_id, card_id, kind, period) DO NOTHING
RETURNING id;

-- name: FeeByID :one
SELECT * FROM mfee_fees WHERE id = @id;

-- name: FeeForUpdate :one
SELECT * FROM mfee_fees WHERE id = @id FOR UPDATE;

-- name: PenaltyOfForUpdate :one
SELECT * FROM mfee_fees WHERE group_id = @group_id AND penalty_of = @penalty_of FOR UPDATE;

-- name: SetFeeAmounts :exec
UPDATE mfee_fees SET amount = @amount, paid = @paid, waived = @waived, status = @status WHERE id = @id;

-- name: FeesOfCard :many
SELECT * FROM mfee_fees WHERE group_id = @group_id AND card_id = @card_id ORDER BY created_at, id;

-- name: FeesOfMember :many
SELECT * FROM mfee_fees WHERE member_id = @member_id ORDER BY created_at, id;

-- name: OverdueFees :many
-- Open fees (not penalties) due before @before, in id order after @after.
SELECT * FROM mfee_fees
WHERE status = 'open' AND kind <> 'late_penalty' AND due_on < @before AND id > @after
ORDER BY id LIMIT @lim;

-- name: InsertPosting :exec
INSERT INTO mfee_postings (id, group_id, fee_id, payer_id, kind, method, amount, key, staff_id, shift_id, created_at)
VALUES (@id, @group_id, @fee_id, @payer_id, @kind, sqlc.narg(method), @amount, @key, sqlc.narg(staff_id),
        sqlc.narg(shift_id), @created_at);

-- name: InsertWaiver :exec
INSERT INTO mfee_waivers (id, group_id, fee_id, amount, reason, status, requested_by, created_at)
VALUES (@id, @group_id, @fee_id, @amount, @reason, 'requested', @requested_by, @created_at);

-- name: WaiverForUpdate :one
SELECT * FROM mfee_waivers WHERE id = @id FOR UPDATE;

-- name: DecideWaiver :exec
UPDATE mfee_waivers SET status = @status, decided_by = @decided_by, decided_at = @decided_at WHERE id = @id;

-- name: VerifyPayerSums :many
-- Per payer: what its fees' postings leave owed (charges less payments and waivers).
SELECT group_id, payer_id,
       sum(CASE kind WHEN 'charge' THEN amount ELSE -amount END)::numeric AS owed
FROM mfee_postings GROUP BY group_id, payer_id;

-- name: VerifyFeesOffPostings :many
-- Fees whose amount, paid or waived differ from their postings.
SELECT f.id::text AS fee
FROM mfee_fees f
LEFT JOIN (SELECT fee_id,
                  sum(amount) FILTER (WHERE kind = 'charge') AS charged,
                  sum(amount) FILTER (WHERE kind = 'payment') AS paid,
                  sum(amount) FILTER (WHERE kind = 'waiver') AS waived
           FROM mfee_postings GROUP BY fee_id) p ON p.fee_id = f.id
WHERE f.amount <> coalesce(p.charged, 0) OR f.paid <> coalesce(p.paid, 0) OR f.waived <> coalesce(p.waived, 0);

-- name: VerifyPostingKeys :many
SELECT key FROM mfee_postings ORDER BY key;
