package ledger

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// TransferPointsTx moves points from one card to another: the sender's lots are taken
// earliest expiry first and arrive as lots with the same expiries. Lock both cards
// first (one LockCardsTx call).
func (s *Service) TransferPointsTx(ctx context.Context, tx pgx.Tx, groupID, from, to uuid.UUID, points decimal.Decimal,
	key string) (uuid.UUID, error) {
	p := Posting{GroupID: groupID, Kind: PostingTransfer, Key: key,
		Legs: []Leg{{Account: Card(to, Points), Amount: points}}}
	posted, pieces, err := s.SpendTx(ctx, tx, p, from, points)
	if err != nil {
		return uuid.Nil, err
	}
	_, err = creditPieces(ctx, tx, posted, to, LotAvailable, pieces, s.now())
	return posted.ID, err
}
