package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
)

// ReleasePending makes pending lots whose return window ended by now available
// (periodic job) and returns how many points were released. Each card is its own
// transaction.
func (s *Service) ReleasePending(ctx context.Context, now time.Time) (decimal.Decimal, error) {
	return s.eachCard(ctx, `SELECT DISTINCT card_id FROM ledger_lots WHERE status = 'pending' AND available_at <= $1`,
		now, func(tx pgx.Tx, group, card uuid.UUID) (decimal.Decimal, error) {
			return s.releaseCard(ctx, tx, group, card, now)
		})
}

func (s *Service) releaseCard(ctx context.Context, tx pgx.Tx, group, card uuid.UUID, now time.Time) (decimal.Decimal, error) {
	pieces, err := lotsDue(ctx, tx, `status = 'pending' AND available_at <= $2`, card, now)
	if err != nil || len(pieces) == 0 {
		return decimal.Zero, err
	}
	total := sumPieces(pieces)
	posted := Posted{}
	if total.IsPositive() { // lots clawed back to zero need no posting
		posted, err = s.PostTx(ctx, tx, Posting{GroupID: group, Kind: "release", Key: "release:" + service.NewID().String(),
			Legs: []Leg{{Account: CardPending(card), Amount: total.Neg()}, {Account: Card(card, Points), Amount: total}}})
		if err != nil {
			return decimal.Zero, err
		}
	}
	debt := decimal.Max(decimal.Zero, posted.Balances[Card(card, Points)].Sub(total).Neg())
	for _, p := range pieces {
		settle := decimal.Min(debt, p.Amount)
		debt = debt.Sub(settle)
		if _, err := tx.Exec(ctx, `UPDATE ledger_lots SET status = 'available' WHERE id = $1`, p.LotID); err != nil {
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
	return s.eachCard(ctx, `SELECT DISTINCT card_id FROM ledger_lots
		WHERE status = 'available' AND remaining > 0 AND expires_at <= $1`,
		now, func(tx pgx.Tx, group, card uuid.UUID) (decimal.Decimal, error) {
			return s.expireCard(ctx, tx, group, card, now)
		})
}

func (s *Service) expireCard(ctx context.Context, tx pgx.Tx, group, card uuid.UUID, now time.Time) (decimal.Decimal, error) {
	pieces, err := lotsDue(ctx, tx, `status = 'available' AND remaining > 0 AND expires_at <= $2`, card, now)
	if err != nil || len(pieces) == 0 {
		return decimal.Zero, err
	}
	total := sumPieces(pieces)
	posted, err := s.PostTx(ctx, tx, Posting{GroupID: group, Kind: "expire", Key: "expire:" + service.NewID().String(),
		Legs: []Leg{{Account: Card(card, Points), Amount: total.Neg()}, {Account: System(KindExpired, Points), Amount: total}}})
	if err != nil {
		return decimal.Zero, err
	}
	for _, p := range pieces {
		if err := takeFrom(ctx, tx, posted.ID, p.LotID, p.Amount); err != nil {
			return decimal.Zero, err
		}
		if _, err := tx.Exec(ctx, `UPDATE ledger_lots SET status = 'expired' WHERE id = $1`, p.LotID); err != nil {
			return decimal.Zero, err
		}
	}
	return total, nil
}

// lotsDue lists the card's lots matching cond ($1 = card, $2 = now) with their remaining.
func lotsDue(ctx context.Context, tx pgx.Tx, cond string, card uuid.UUID, now time.Time) ([]Piece, error) {
	rows, err := tx.Query(ctx, `SELECT id, remaining, available_at, expires_at FROM ledger_lots
		WHERE card_id = $1 AND `+cond+` ORDER BY expires_at, id`, card, now)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Piece, error) {
		var p Piece
		return p, r.Scan(&p.LotID, &p.Amount, &p.AvailableAt, &p.ExpiresAt)
	})
}

// eachCard runs fn in its own transaction, card locked, for each card the query lists.
func (s *Service) eachCard(ctx context.Context, query string, now time.Time,
	fn func(tx pgx.Tx, group, card uuid.UUID) (decimal.Decimal, error)) (decimal.Decimal, error) {
	rows, err := s.db.Pool.Query(ctx, query, now)
	if err != nil {
		return decimal.Zero, err
	}
	cards, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
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
			n, err := fn(tx, group, card)
			total = total.Add(n)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("card %s: %w", card, err)
		}
	}
	return total, nil
}
