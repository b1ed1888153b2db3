package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
)

// ReleasePending makes pending lots whose return window ended by now available
// (periodic job) and returns how many points were released. Each card is its own
// transaction.
func (s *Service) ReleasePending(ctx context.Context, now time.Time) (decimal.Decimal, error) {
	return s.eachDueCard(ctx, now, queries.New(s.db.Pool).CardsWithReleaseDue, s.releaseCard)
}

func (s *Service) releaseCard(ctx context.Context, tx pgx.Tx, group, card uuid.UUID, now time.Time) (decimal.Decimal, error) {
	pieces, err := piecesOf(queries.New(tx).ReleaseDueLots(ctx, card, now))
	if err != nil || len(pieces) == 0 {
		return decimal.Zero, err
	}
	total := sumPieces(pieces)
	posted := Posted{}
	if total.IsPositive() { // lots clawed back to zero need no posting
		posted, err = s.PostTx(ctx, tx, Posting{GroupID: group, Kind: PostingRelease, Key: "release:" + service.NewID().String(),
			Legs: []Leg{{Account: CardPending(card), Amount: total.Neg()}, {Account: Card(card, Points), Amount: total}}})
		if err != nil {
			return decimal.Zero, err
		}
	}
	debt := decimal.Max(decimal.Zero, posted.Balances[Card(card, Points)].Sub(total).Neg())
	for _, p := range pieces {
		settle := decimal.Min(debt, p.Amount)
		debt = debt.Sub(settle)
		if err := setLotStatus(ctx, tx, p.LotID, LotRelease, LotPending); err != nil {
			return decimal.Zero, err
		}
		if settle.IsPositive() {
			if err := takeFrom(ctx, tx, posted.ID, p.LotID, settle); err != nil {
				return decimal.Zero, err
			}
		}
	}
	return total, nil
}

// ExpireLots expires every available lot whose expiry (the end of a business day in
// the mall's time zone, fixed when the lot was earned) is at or before now, and
// returns how many points expired. Each card is its own transaction.
func (s *Service) ExpireLots(ctx context.Context, now time.Time) (decimal.Decimal, error) {
	return s.eachDueCard(ctx, now, queries.New(s.db.Pool).CardsWithExpiryDue, s.expireCard)
}

func (s *Service) expireCard(ctx context.Context, tx pgx.Tx, group, card uuid.UUID, now time.Time) (decimal.Decimal, error) {
	pieces, err := piecesOf(queries.New(tx).ExpiryDueLots(ctx, card, now))
	if err != nil || len(pieces) == 0 {
		return decimal.Zero, err
	}
	total := sumPieces(pieces)
	posted, err := s.PostTx(ctx, tx, Posting{GroupID: group, Kind: PostingExpire, Key: "expire:" + service.NewID().String(),
		Legs: []Leg{{Account: Card(card, Points), Amount: total.Neg()}, {Account: System(KindExpired, Points), Amount: total}}})
	if err != nil {
		return decimal.Zero, err
	}
	for _, p := range pieces {
		if err := takeFrom(ctx, tx, posted.ID, p.LotID, p.Amount); err != nil {
			return decimal.Zero, err
		}
		if err := setLotStatus(ctx, tx, p.LotID, LotExpire, LotAvailable); err != nil {
			return decimal.Zero, err
		}
	}
	return total, nil
}

// eachDueCard runs fn at now for each of the cards due lists at now, each in its own
// transaction with the card locked, and sums what fn returns.
func (s *Service) eachDueCard(ctx context.Context, now time.Time, due func(context.Context, time.Time) ([]uuid.UUID, error),
	fn func(ctx context.Context, tx pgx.Tx, group, card uuid.UUID, now time.Time) (decimal.Decimal, error)) (decimal.Decimal, error) {
	cards, err := due(ctx, now)
	if err != nil {
		return decimal.Zero, err
	}
	total := decimal.Zero
	for _, card := range cards {
		err := s.db.InTx(ctx, func(tx pgx.Tx) error {
			group, err := s.LockCardsTx(ctx, tx, card)
			if err != nil {
				return err
			}
			n, err := fn(ctx, tx, group, card, now)
			total = total.Add(n)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("card %s: %w", card, err)
		}
	}
	return total, nil
}
