package ledger

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
)

// Clawback takes back points a purchase earned when it is refunded.
type Clawback struct {
	GroupID uuid.UUID
	CardID  uuid.UUID       // the card that holds the points now
	Points  decimal.Decimal // exactly the points to take back
	LotID   uuid.UUID       // the lot the purchase created, taken from first
	Key     string
	Memo    string
}

// ClawbackTx takes back exactly c.Points from the card, by this rule:
//  1. from the purchase's own lot while it is still pending (the return window);
//  2. then from the card's available points: the purchase's own lot first, then the
//     other lots, earliest expiry first (so points the member already spent are
//     replaced by their other points);
//  3. whatever is still missing makes the points balance negative: a points debt,
//     the only negative balance the ledger allows, which later earnings pay off first.
//
// Lock the card first.
func (s *Service) ClawbackTx(ctx context.Context, tx pgx.Tx, c Clawback) (uuid.UUID, error) {
	fromPending, err := pendingOf(ctx, tx, c.LotID, c.CardID)
	if err != nil {
		return uuid.Nil, err
	}
	fromPending = decimal.Min(fromPending, c.Points)
	fromAvailable := c.Points.Sub(fromPending)
	legs := []Leg{{Account: System(KindIssuance, Points), Amount: c.Points}}
	if fromPending.IsPositive() {
		legs = append(legs, Leg{Account: CardPending(c.CardID), Amount: fromPending.Neg()})
	}
	if fromAvailable.IsPositive() {
		legs = append(legs, Leg{Account: Card(c.CardID, Points), Amount: fromAvailable.Neg(), AllowNegative: true})
	}
	posted, err := s.PostTx(ctx, tx, Posting{GroupID: c.GroupID, Kind: PostingClawback, Key: c.Key, Memo: c.Memo, Legs: legs})
	if err != nil {
		return uuid.Nil, err
	}
	if fromPending.IsPositive() {
		if err := takeFrom(ctx, tx, posted.ID, c.LotID, fromPending); err != nil {
			return posted.ID, err
		}
	}
	if fromAvailable.IsPositive() {
		_, err = takeLots(ctx, tx, posted.ID, c.CardID, LotAvailable, fromAvailable, c.LotID)
	}
	return posted.ID, err
}

// pendingOf is what remains of lot when it is still pending on card, else zero.
func pendingOf(ctx context.Context, tx pgx.Tx, lot, card uuid.UUID) (decimal.Decimal, error) {
	return queries.New(tx).PendingOfLot(ctx, lot, card)
}
