-- name: InsertOrder :exec
INSERT INTO payment_orders (id, out_trade_no, group_id, mall_id, purpose, reference_id, payer_kind, payer_id,
    description, amount_fen, appid, mchid, mode, openid, status, expires_at, created_at)
VALUES (@id, @out_trade_no, @group_id, @mall_id, @purpose, @reference_id, @payer_kind, @payer_id,
    @description, @amount_fen, @appid, @mchid, @mode, sqlc.narg(openid), 'CREATED', @expires_at, @created_at);

-- name: SetPrepay :exec
UPDATE payment_orders SET prepay_id = coalesce(sqlc.narg(prepay_id), prepay_id),
    code_url = coalesce(sqlc.narg(code_url), code_url)
WHERE id = @id;

-- name: OrderByID :one
SELECT * FROM payment_orders WHERE id = @id;

-- name: OrderByOutTradeNoForUpdate :one
SELECT * FROM payment_orders WHERE out_trade_no = @out_trade_no FOR UPDATE;

-- name: OrderByIDForUpdate :one
SELECT * FROM payment_orders WHERE id = @id FOR UPDATE;

-- name: MarkPaid :execrows
-- The one transition to PAID: conditional, so concurrent notifications of one order
-- mark it once (the others find it PAID).
UPDATE payment_orders SET status = 'PAID', transaction_id = @transaction_id, paid_at = @paid_at
WHERE id = @id AND status = 'CREATED';

-- name: SetSettleError :exec
UPDATE payment_orders SET settle_error = @settle_error WHERE id = @id;

-- name: MarkClosed :execrows
UPDATE payment_orders SET status = 'CLOSED', closed_at = @closed_at WHERE id = @id AND status = 'CREATED';

-- name: AddRefunded :exec
UPDATE payment_orders SET refunded_fen = refunded_fen + @amount_fen,
    status = CASE WHEN refunded_fen + @amount_fen = amount_fen THEN 'REFUNDED' ELSE 'PARTLY_REFUNDED' END
WHERE id = @id;

-- name: WaitingOrders :many
-- Orders still CREATED since before @before: their notification is late or lost.
SELECT * FROM payment_orders WHERE status = 'CREATED' AND created_at < @before ORDER BY created_at LIMIT @lim;

-- name: OrdersOfMall :many
SELECT * FROM payment_orders
WHERE mall_id = @mall_id
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status)::text)
  AND (sqlc.narg(purpose)::text IS NULL OR purpose = sqlc.narg(purpose)::text)
  AND (sqlc.narg(after)::uuid IS NULL OR id < sqlc.narg(after)::uuid)
ORDER BY id DESC LIMIT @lim;

-- name: OrdersOfPayer :many
SELECT * FROM payment_orders
WHERE payer_id = @payer_id AND payer_kind = @payer_kind
  AND (sqlc.narg(after)::uuid IS NULL OR id < sqlc.narg(after)::uuid)
ORDER BY id DESC LIMIT @lim;

-- name: PendingRefundFen :one
-- What refunds of an order not yet failed take: succeeded or still pending.
SELECT coalesce(sum(amount_fen), 0)::bigint FROM payment_refunds WHERE order_id = @order_id AND status <> 'FAILED';

-- name: InsertRefund :exec
INSERT INTO payment_refunds (id, out_refund_no, order_id, group_id, mall_id, amount_fen, reason, status,
    requested_by, created_at)
VALUES (@id, @out_refund_no, @order_id, @group_id, @mall_id, @amount_fen, @reason, 'PENDING', @requested_by, @created_at);

-- name: RefundByOutRefundNoForUpdate :one
SELECT * FROM payment_refunds WHERE out_refund_no = @out_refund_no FOR UPDATE;

-- name: RefundByID :one
SELECT * FROM payment_refunds WHERE id = @id;

-- name: SetRefundID :exec
UPDATE payment_refunds SET refund_id = @refund_id, wechat_status = @wechat_status WHERE id = @id AND refund_id IS NULL;

-- name: FinishRefund :execrows
-- The one transition out of PENDING: conditional, so a refund finishes once.
UPDATE payment_refunds SET status = @status, refund_id = coalesce(sqlc.narg(refund_id), refund_id),
    wechat_status = @wechat_status, finished_at = @finished_at
WHERE id = @id AND status = 'PENDING';

-- name: PendingRefunds :many
SELECT * FROM payment_refunds WHERE status = 'PENDING' AND created_at < @before ORDER BY created_at LIMIT @lim;

-- name: RefundsOfOrder :many
SELECT * FROM payment_refunds WHERE order_id = @order_id ORDER BY id;

-- name: InsertNotification :exec
INSERT INTO payment_notifications (id, group_id, mall_id, source, notification_id, event_type, out_trade_no,
    out_refund_no, outcome, reason, received_at)
VALUES (@id, sqlc.narg(group_id), sqlc.narg(mall_id), @source, @notification_id, @event_type,
    sqlc.narg(out_trade_no), sqlc.narg(out_refund_no), @outcome, @reason, @received_at);

-- name: NotificationsOfMall :many
SELECT * FROM payment_notifications
WHERE mall_id = @mall_id
  AND (sqlc.narg(outcome)::text IS NULL OR outcome = sqlc.narg(outcome)::text)
  AND (sqlc.narg(after)::uuid IS NULL OR id < sqlc.narg(after)::uuid)
ORDER BY id DESC LIMIT @lim;
