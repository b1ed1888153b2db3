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

// Lot is a batch of points with an expiry.
type Lot struct {
	ID          uuid.UUID       `json:"id"`
	CardID      uuid.UUID       `json:"cardId"`
	Status      string          `json:"status"` // pending, available, expired, moved
	Amount      decimal.Decimal `json:"amount"`
	Remaining   decimal.Decimal `json:"remaining"`
	AvailableAt time.Time       `json:"availableAt"`
	ExpiresAt   time.Time       `json:"expiresAt"`
}

// Piece is a part of a lot taken by a spend, a move or a claw-back.
type Piece struct {
	LotID       uuid.UUID       `json:"lotId"`
	Amount      decimal.Decimal `json:"amount"`
	AvailableAt time.Time       `json:"availableAt"`
	ExpiresAt   time.Time       `json:"expiresAt"`
}

// newLot creates a lot of amount on the card with remaining points (less than amount
// when part of it paid off a points debt) and records its moves.
func newLot(ctx context.Context, tx pgx.Tx, postingID uuid.UUID, card uuid.UUID, status string,
	amount, remaining decimal.Decimal, availableAt, expiresAt, now time.Time) (uuid.UUID, error) {
	id := service.NewID()
	_, err := tx.Exec(ctx, `INSERT INTO ledger_lots (id, account_id, card_id, status, amount, remaining,
			available_at, expires_at, posting_id, created_at)
		SELECT $1, a.id, $2, $3, $4, $5, $6, $7, $8, $9 FROM ledger_accounts a
		WHERE a.owner_id = $2 AND a.kind = 'card' AND a.asset = 'points'`,
		id, card, status, amount, remaining, availableAt, expiresAt, postingID, now)
	if err != nil {
		return id, fmt.Errorf("new lot: %w", err)
	}
	if err := lotMove(ctx, tx, id, postingID, amount); err != nil {
		return id, err
	}
	if settled := amount.Sub(remaining); settled.IsPositive() {
		return id, lotMove(ctx, tx, id, postingID, settled.Neg())
	}
	return id, nil
}

func lotMove(ctx context.Context, tx pgx.Tx, lotID, postingID uuid.UUID, amount decimal.Decimal) error {
	_, err := tx.Exec(ctx, `INSERT INTO ledger_lot_moves (lot_id, posting_id, amount) VALUES ($1, $2, $3)`,
		lotID, postingID, amount)
	return err
}

// takeLots consumes up to amount from the card's lots of status, the first lot (when
// given) first and then the earliest-expiring, and returns the pieces taken. Lock the
// card first (LockCardsTx).
func takeLots(ctx context.Context, tx pgx.Tx, postingID, card uuid.UUID, status string, amount decimal.Decimal,
	first uuid.UUID) ([]Piece, error) {
	rows, err := tx.Query(ctx, `SELECT id, remaining, available_at, expires_at FROM ledger_lots
		WHERE card_id = $1 AND status = $2 AND remaining > 0
		ORDER BY (id = $3) DESC, expires_at, id`, card, status, first)
	if err != nil {
		return nil, err
	}
	lots, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Piece, error) {
		var p Piece
		return p, r.Scan(&p.LotID, &p.Amount, &p.AvailableAt, &p.ExpiresAt)
	})
	if err != nil {
		return nil, err
	}
	var taken []Piece
	for _, l := range lots {
		if !amount.IsPositive() {
			break
		}
		take := decimal.Min(amount, l.Amount)
		if err := takeFrom(ctx, tx, postingID, l.LotID, take); err != nil {
			return nil, err
		}
		amount = amount.Sub(take)
		l.Amount = take
		taken = append(taken, l)
	}
	return taken, nil
}

func takeFrom(ctx context.Context, tx pgx.Tx, postingID, lotID uuid.UUID, take decimal.Decimal) error {
	if _, err := tx.Exec(ctx, `UPDATE ledger_lots SET remaining = remaining - $2 WHERE id = $1`, lotID, take); err != nil {
		return err
	}
	return lotMove(ctx, tx, lotID, postingID, take.Neg())
}

// Lots lists the card's lots with points left, earliest expiry first.
func (s *Service) Lots(ctx context.Context, cardID uuid.UUID) ([]Lot, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT id, card_id, status, amount, remaining, available_at, expires_at
		FROM ledger_lots WHERE card_id = $1 AND remaining > 0 ORDER BY expires_at, id`, cardID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Lot, error) {
		var l Lot
		return l, r.Scan(&l.ID, &l.CardID, &l.Status, &l.Amount, &l.Remaining, &l.AvailableAt, &l.ExpiresAt)
	})
}
