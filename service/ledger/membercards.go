package ledger

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// MemberCardTx returns the card that holds a member's value when no card is presented
// (a sign-in reward, a booking paid from the mini-program): the member's oldest active
// primary card, with its group, locked as LockCardsTx does. ErrCardNotFound when the
// member has none.
func (s *Service) MemberCardTx(ctx context.Context, tx pgx.Tx, member uuid.UUID) (card, group uuid.UUID, err error) {
	err = tx.QueryRow(ctx, `SELECT id FROM cards WHERE member_id = $1 AND status = 'active'
		AND primary_card_id IS NULL ORDER BY issued_at, id LIMIT 1`, member).Scan(&card)
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, uuid.Nil, ErrCardNotFound.Msgf("the member has no active primary card")
	}
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	group, err = s.LockCardsTx(ctx, tx, card)
	return card, group, err
}

// CurrentCardTx follows a card's chain of reissues (replaced_by) to the card that holds
// its value now, so that a refund of something paid with a card that was later
// reissued goes to the new card.
func CurrentCardTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) (uuid.UUID, error) {
	err := tx.QueryRow(ctx, `WITH RECURSIVE chain(id, next, depth) AS (
			SELECT id, replaced_by, 0 FROM cards WHERE id = $1
			UNION ALL SELECT c.id, c.replaced_by, chain.depth + 1 FROM cards c JOIN chain ON c.id = chain.next
			WHERE chain.depth < 50)
		SELECT id FROM chain ORDER BY depth DESC LIMIT 1`, id).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, ErrCardNotFound
	}
	return id, err
}
