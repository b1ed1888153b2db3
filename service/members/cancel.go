package members

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/storage"
)

// CancelInput cancels a card with a refund of its balance (退卡).
type CancelInput struct {
	CardID         uuid.UUID
	Reason         string
	IdempotencyKey string
}

// CancelResult is the cancelled card and the stored value refunded.
type CancelResult struct {
	Card     Card
	Refunded decimal.Decimal
}

// Cancel cancels a card and has the ledger refund its stored value, in one
// transaction; a primary card with live supplementary cards is refused. Idempotent.
func (s *Service) Cancel(ctx context.Context, in CancelInput) (CancelResult, error) {
	if err := validKeyed(in.Reason, in.IdempotencyKey); err != nil {
		return CancelResult{}, err
	}
	if err := s.precheck(ctx, in.CardID, OpCancel); err != nil {
		return CancelResult{}, err
	}
	var out CancelResult
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		var err error
		out, _, err = storage.Idempotent(ctx, tx, "members.cancel", in.IdempotencyKey, in, func() (CancelResult, error) {
			return s.cancel(ctx, tx, in)
		})
		return err
	})
	return out, idemError(err)
}

func (s *Service) cancel(ctx context.Context, tx pgx.Tx, in CancelInput) (CancelResult, error) {
	c, from, err := s.beginOp(ctx, tx, OpCancel, in.CardID)
	if err != nil {
		return CancelResult{}, err
	}
	var live bool
	err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cards WHERE primary_card_id = $1
		AND status NOT IN ('cancelled', 'replaced'))`, c.ID).Scan(&live)
	if err != nil {
		return CancelResult{}, err
	}
	if live {
		return CancelResult{}, ErrHasSupplementaries
	}
	refunded := decimal.Zero
	if s.ledger != nil && !c.Supplementary() {
		if refunded, err = s.ledger.RefundCardTx(ctx, tx, c.ID, "cancel:"+in.IdempotencyKey); err != nil {
			return CancelResult{}, err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE cards SET status = 'cancelled' WHERE id = $1`, c.ID); err != nil {
		return CancelResult{}, err
	}
	err = s.cardEvent(ctx, tx, c, OpCancel, from, in.Reason, map[string]any{"refunded": refunded.StringFixed(2)})
	return CancelResult{Card: c, Refunded: refunded}, err
}
