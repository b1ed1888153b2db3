package members

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/members/internal/queries"
)

// issueRegistrationCardTx gives a newly registered member the group's electronic card
// (the card type marked IssueOnRegistration), in the registration's transaction, unless
// the group has none or the member already holds an active primary card (a member
// registered at the desk who later binds WeChat keeps their card).
func (s *Service) issueRegistrationCardTx(ctx context.Context, tx pgx.Tx, group, member uuid.UUID) error {
	q := queries.New(tx)
	typeID, err := q.RegistrationCardType(ctx, group)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("registration card type: %w", err)
	}
	has, err := q.HasActivePrimaryCard(ctx, member, string(StatusActive))
	if err != nil || has {
		return err
	}
	c, err := s.insertCard(ctx, tx, Card{GroupID: group, MemberID: member, CardTypeID: typeID})
	if err != nil {
		return err
	}
	return s.cardEvent(ctx, tx, c, OpIssue, "", "issued on registration", nil)
}
