package members

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// CardOpInput names a card and why it is being changed (the reason is audited).
type CardOpInput struct {
	CardID uuid.UUID
	Reason string
}

// ReportLoss marks a card lost (挂失): staff serving its group, or its owner.
func (s *Service) ReportLoss(ctx context.Context, in CardOpInput) (Card, error) {
	return s.simpleOp(ctx, OpReportLoss, in)
}

// CancelLoss makes a lost card active again; staff only.
func (s *Service) CancelLoss(ctx context.Context, in CardOpInput) (Card, error) {
	return s.simpleOp(ctx, OpCancelLoss, in)
}

// Freeze blocks an active card (冻结); staff only.
func (s *Service) Freeze(ctx context.Context, in CardOpInput) (Card, error) {
	return s.simpleOp(ctx, OpFreeze, in)
}

// Unfreeze makes a frozen card active again (解冻); staff only.
func (s *Service) Unfreeze(ctx context.Context, in CardOpInput) (Card, error) {
	return s.simpleOp(ctx, OpUnfreeze, in)
}

func (s *Service) simpleOp(ctx context.Context, op Op, in CardOpInput) (Card, error) {
	return s.retriedOp(ctx, op, in.CardID, in.Reason, func(tx pgx.Tx, c *Card, from CardStatus) error {
		if err := queries.New(tx).SetCardStatus(ctx, string(c.Status), c.ID); err != nil {
			return fmt.Errorf("set card status: %w", err)
		}
		return s.cardEvent(ctx, tx, *c, op, from, in.Reason, nil)
	})
}

// retriedOp checks reason, then does op to card id in a transaction retried on
// serialization failures: beginOp, then apply writes the change and its card event.
func (s *Service) retriedOp(ctx context.Context, op Op, id uuid.UUID, reason string,
	apply func(tx pgx.Tx, c *Card, from CardStatus) error) (Card, error) {
	if err := validReason(reason); err != nil {
		return Card{}, err
	}
	var c Card
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		var from CardStatus
		var err error
		if c, from, err = s.beginOp(ctx, tx, op, id); err != nil {
			return err
		}
		return apply(tx, &c, from)
	})
	return c, err
}

// beginOp locks the card, checks the viewer may do op to it and that op is allowed
// from its status; it returns the card with its new status and the old status.
func (s *Service) beginOp(ctx context.Context, tx pgx.Tx, op Op, id uuid.UUID) (Card, CardStatus, error) {
	c, err := CardForUpdate(ctx, tx, id)
	if err != nil {
		return c, "", err
	}
	if err := s.authorizeCard(ctx, tx, c, op); err != nil {
		return c, "", err
	}
	from := c.Status
	if c.Status, err = cardMachine.Next(op, from); err != nil {
		return c, "", err
	}
	return c, from, nil
}

// authorizeCard: staff with a member role in the card's group; the card's owner may
// also report it lost. Staff without a grant in the card's group are refused.
func (s *Service) authorizeCard(ctx context.Context, q storage.Querier, c Card, op Op) error {
	if self, err := access.Shopper(ctx); err == nil && op == OpReportLoss && self == c.MemberID {
		return nil
	}
	err := s.requireGroup(ctx, q, c.GroupID, memberRoles)
	if errors.Is(err, errs.ErrForbidden) {
		return errs.ErrForbidden.Msgf("no grant in the card's group")
	}
	return err
}

func validReason(r string) error {
	if strings.TrimSpace(r) == "" || utf8.RuneCountInString(r) > 500 {
		return errs.Invalid("input.reason", "give a reason of 1 to 500 characters")
	}
	return nil
}
