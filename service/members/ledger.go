package members

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// Ledger is what card operations need from the ledger context. Both methods run inside
// the card operation's transaction, so the card change and the money change commit or
// roll back together; key is the operation's idempotency key.
type Ledger interface {
	// MoveCardTx moves every balance and points lot (keeping its original expiry) of
	// card from to card to (reissue).
	MoveCardTx(ctx context.Context, tx pgx.Tx, from, to uuid.UUID, key string) error
	// RefundCardTx pays out the card's stored value (cancel with refund) and returns
	// the amount refunded.
	RefundCardTx(ctx context.Context, tx pgx.Tx, card uuid.UUID, key string) (decimal.Decimal, error)
}
