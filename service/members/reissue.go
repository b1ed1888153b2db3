package members

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/service/once"
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
// A repeat with the same idempotency key (from the same viewer) returns the same new card.
func (s *Service) Reissue(ctx context.Context, in ReissueInput) (Card, error) {
	in.NewUID = strings.TrimSpace(in.NewUID)
	if err := validReason(in.Reason); err != nil {
		return Card{}, err
	}
	if len(in.NewUID) > 64 {
		return Card{}, errs.Invalid("input.newUid", "uid must be at most 64 characters")
	}
	out, _, err := once.Do(ctx, s.db, once.Op[Card]{Name: "members.reissue", Key: in.IdempotencyKey, Args: in,
		Authorize: s.precheck(in.CardID, OpReissue),
		Run:       func(ctx context.Context, tx pgx.Tx) (Card, error) { return s.reissue(ctx, tx, in) }})
	return out, err
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
	if err := s.replace(ctx, tx, &old, nc, in.IdempotencyKey); err != nil {
		return Card{}, err
	}
	details := map[string]any{"new_card_id": nc.ID, "new_number": nc.Number}
	if err := s.cardEvent(ctx, tx, old, OpReissue, from, in.Reason, details); err != nil {
		return Card{}, err
	}
	return nc, s.cardEvent(ctx, tx, nc, OpIssue, "", in.Reason, map[string]any{"replaces": old.ID})
}

// replace marks old replaced by nc, hangs old's supplementary cards under nc and has
// the ledger move old's balances to nc.
func (s *Service) replace(ctx context.Context, tx pgx.Tx, old *Card, nc Card, key string) error {
	q := queries.New(tx)
	old.ReplacedBy = &nc.ID
	if err := q.ReplaceCard(ctx, queries.ReplaceCardParams{Status: string(old.Status), ReplacedBy: nc.ID, ID: old.ID}); err != nil {
		return fmt.Errorf("replace card: %w", err)
	}
	if err := q.MoveSupplementaries(ctx, nc.ID, old.ID); err != nil {
		return fmt.Errorf("move supplementary cards: %w", err)
	}
	if err := s.ledger.MoveCardTx(ctx, tx, old.ID, nc.ID, "reissue:"+key); err != nil {
		return fmt.Errorf("move card balances: %w", err)
	}
	return nil
}

// precheck authorizes the viewer inside an idempotent operation's transaction before
// its key is looked at, so a replayed result is only ever shown to someone allowed to
// perform the operation.
func (s *Service) precheck(id uuid.UUID, op Op) func(context.Context, pgx.Tx) error {
	return func(ctx context.Context, tx pgx.Tx) error {
		c, err := cardByID(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.authorizeCard(ctx, tx, c, op)
	}
}
