package members

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// ReissueInput replaces a card (补卡) with a new one; NewUID is the new physical
// card's UID ("" for a virtual card).
type ReissueInput struct {
	CardID         uuid.UUID
	NewUID         string
	Reason         string
	IdempotencyKey string
}

// Reissue gives the card's member a new card with a new number (and UID) of the same
// type; the old card becomes "replaced" (its number and UID stop working), its
// supplementary cards hang under the new card, and the ledger moves every balance and
// points lot, with their original expiry, to the new card — all in one transaction.
// A repeat with the same idempotency key returns the same new card.
func (s *Service) Reissue(ctx context.Context, in ReissueInput) (Card, error) {
	in.NewUID = strings.TrimSpace(in.NewUID)
	if err := validKeyed(in.Reason, in.IdempotencyKey); err != nil {
		return Card{}, err
	}
	if len(in.NewUID) > 64 {
		return Card{}, errs.Invalid("input.newUid", "uid must be at most 64 characters")
	}
	if err := s.precheck(ctx, in.CardID, OpReissue); err != nil {
		return Card{}, err
	}
	var out Card
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		var err error
		out, _, err = storage.Idempotent(ctx, tx, "members.reissue", in.IdempotencyKey, in, func() (Card, error) {
			return s.reissue(ctx, tx, in)
		})
		return err
	})
	return out, idemError(err)
}

func (s *Service) reissue(ctx context.Context, tx pgx.Tx, in ReissueInput) (Card, error) {
	old, from, err := s.beginOp(ctx, tx, OpReissue, in.CardID)
	if err != nil {
		return Card{}, err
	}
	nc, err := s.insertCard(ctx, tx, Card{GroupID: old.GroupID, MemberID: old.MemberID, CardTypeID: old.CardTypeID,
		UID: in.NewUID, PrimaryCardID: old.PrimaryCardID, SpendLimit: old.SpendLimit, ExpiresAt: old.ExpiresAt})
	if err != nil {
		return Card{}, err
	}
	old.ReplacedBy = &nc.ID
	if _, err := tx.Exec(ctx, `UPDATE cards SET status = 'replaced', replaced_by = $2 WHERE id = $1`, old.ID, nc.ID); err != nil {
		return Card{}, err
	}
	if _, err := tx.Exec(ctx, `UPDATE cards SET primary_card_id = $2 WHERE primary_card_id = $1`, old.ID, nc.ID); err != nil {
		return Card{}, err
	}
	if s.ledger != nil {
		if err := s.ledger.MoveCardTx(ctx, tx, old.ID, nc.ID, "reissue:"+in.IdempotencyKey); err != nil {
			return Card{}, err
		}
	}
	details := map[string]any{"new_card_id": nc.ID, "new_number": nc.Number}
	if err := s.cardEvent(ctx, tx, old, OpReissue, from, in.Reason, details); err != nil {
		return Card{}, err
	}
	return nc, s.cardEvent(ctx, tx, nc, OpIssue, "", in.Reason, map[string]any{"replaces": old.ID})
}

// precheck authorizes the viewer before an idempotent operation, so a replayed result
// is only ever shown to someone allowed to perform the operation.
func (s *Service) precheck(ctx context.Context, id uuid.UUID, op Op) error {
	c, err := s.CardByID(ctx, id)
	if err != nil {
		return err
	}
	return s.authorizeCard(ctx, s.db.Pool, c, op)
}

func validKeyed(reason, key string) error {
	if err := validReason(reason); err != nil {
		return err
	}
	if key == "" || len(key) > 200 {
		return errs.Invalid("input.idempotencyKey", "idempotency key must be 1 to 200 characters")
	}
	return nil
}

func idemError(err error) error {
	if errors.Is(err, storage.ErrIdempotencyMismatch) {
		return errs.ErrIdempotencyKey
	}
	return err
}
