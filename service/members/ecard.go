package members

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// issueRegistrationCardTx gives a newly registered member the group's electronic card
// (the card type marked IssueOnRegistration), in the registration's transaction, unless
// the group has none or the member already holds an active primary card (a member
// registered at the desk who later binds WeChat keeps their card).
func (s *Service) issueRegistrationCardTx(ctx context.Context, tx pgx.Tx, group, member uuid.UUID) error {
	var typeID uuid.UUID
	err := tx.QueryRow(ctx, `SELECT id FROM card_types WHERE group_id = $1 AND issue_on_registration`, group).Scan(&typeID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var has bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cards WHERE member_id = $1 AND status = 'active'
		AND primary_card_id IS NULL)`, member).Scan(&has); err != nil || has {
		return err
	}
	c, err := s.insertCard(ctx, tx, Card{GroupID: group, MemberID: member, CardTypeID: typeID})
	if err != nil {
		return err
	}
	return s.cardEvent(ctx, tx, c, OpIssue, "", "issued on registration", nil)
}
