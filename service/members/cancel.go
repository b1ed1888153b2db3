package members

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/service/once"
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
// transaction; a primary card with live supplementary cards is refused. Idempotent
// per (viewer, key).
func (s *Service) Cancel(ctx context.Context, in CancelInput) (CancelResult, error) {
	if err := validReason(in.Reason); err != nil {
		return CancelResult{}, err
	}
	out, _, err := once.Do(ctx, s.db, once.Op[CancelResult]{Name: "members.cancel", Key: in.IdempotencyKey, Args: in,
		Authorize: s.precheck(in.CardID, OpCancel),
		Run:       func(ctx context.Context, tx pgx.Tx) (CancelResult, error) { return s.cancel(ctx, tx, in) }})
	return out, err
}

func (s *Service) cancel(ctx context.Context, tx pgx.Tx, in CancelInput) (CancelResult, error) {
	c, from, err := s.beginOp(ctx, tx, OpCancel, in.CardID)
	if err != nil {
		return CancelResult{}, err
	}
	q := queries.New(tx)
	// Supplementary cards that could still be cancelled are live: they go first.
	live, err := q.HasLiveSupplementaries(ctx, c.ID, cardMachine.From(OpCancel))
	if err != nil {
		return CancelResult{}, fmt.Errorf("supplementary cards: %w", err)
	}
	if live {
		return CancelResult{}, ErrHasSupplementaries
	}
	refunded := decimal.Zero
	if !c.Supplementary() {
		if refunded, err = s.ledger.RefundCardTx(ctx, tx, c.ID, "cancel:"+in.IdempotencyKey); err != nil {
			return CancelResult{}, fmt.Errorf("refund card: %w", err)
		}
	}
	if err := q.SetCardStatus(ctx, string(c.Status), c.ID); err != nil {
		return CancelResult{}, fmt.Errorf("cancel card: %w", err)
	}
	err = s.cardEvent(ctx, tx, c, OpCancel, from, in.Reason, map[string]any{"refunded": refunded.StringFixed(2)})
	return CancelResult{Card: c, Refunded: refunded}, err
}
