package members

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
)

// TransferInput moves a card to another member of the same group (过户).
type TransferInput struct {
	CardID     uuid.UUID
	ToMemberID uuid.UUID
	Reason     string
}

// Transfer gives an active card, with its balances, to another active registered
// member of the card's group; staff only.
func (s *Service) Transfer(ctx context.Context, in TransferInput) (Card, error) {
	return s.retriedOp(ctx, OpTransfer, in.CardID, in.Reason, func(tx pgx.Tx, c *Card, from CardStatus) error {
		to, err := loadMember(ctx, tx, in.ToMemberID)
		switch {
		case errors.Is(err, errs.ErrNotFound) || (err == nil && to.GroupID != c.GroupID):
			return errs.Invalid("input.toMemberId", "no such member in the card's group")
		case err != nil:
			return err
		case to.ID == c.MemberID:
			return ErrSameMember.At("input", "toMemberId")
		case to.Status != MemberActive || to.RegisteredAt == nil:
			return ErrMemberInactive.At("input", "toMemberId")
		}
		prev := c.MemberID
		c.MemberID = to.ID
		if err := queries.New(tx).SetCardMember(ctx, to.ID, c.ID); err != nil {
			return fmt.Errorf("transfer card: %w", err)
		}
		return s.cardEvent(ctx, tx, *c, OpTransfer, from, in.Reason, map[string]any{"from_member": prev, "to_member": to.ID})
	})
}
