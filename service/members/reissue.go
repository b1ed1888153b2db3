package members

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

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
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
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

// TransferInput moves a card to another member of the same group (过户).
type TransferInput struct {
	CardID     uuid.UUID
	ToMemberID uuid.UUID
	Reason     string
}

// Transfer gives an active card, with its balances, to another active registered
// member of the card's group; staff only.
func (s *Service) Transfer(ctx context.Context, in TransferInput) (Card, error) {
	if err := validReason(in.Reason); err != nil {
		return Card{}, err
	}
	var c Card
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var from string
		var err error
		if c, from, err = s.beginOp(ctx, tx, OpTransfer, in.CardID); err != nil {
			return err
		}
		to, err := loadMember(ctx, tx, in.ToMemberID)
		switch {
		case errors.Is(err, errs.ErrNotFound) || (err == nil && to.GroupID != c.GroupID):
			return errs.Invalid("input.toMemberId", "no such member in the card's group")
		case err != nil:
			return err
		case to.ID == c.MemberID:
			return ErrSameMember.At("input", "toMemberId")
		case to.Status != "active" || to.RegisteredAt == nil:
			return ErrMemberInactive.At("input", "toMemberId")
		}
		prev := c.MemberID
		c.MemberID = to.ID
		if _, err := tx.Exec(ctx, `UPDATE cards SET member_id = $2 WHERE id = $1`, c.ID, to.ID); err != nil {
			return err
		}
		return s.cardEvent(ctx, tx, c, OpTransfer, from, in.Reason, map[string]any{"from_member": prev, "to_member": to.ID})
	})
	return c, err
}

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
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
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
