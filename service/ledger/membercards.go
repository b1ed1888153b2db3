package ledger

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// MemberCardTx returns the card to pay with or credit when no card is presented (a
// sign-in reward, a lottery, a booking paid from the mini-program), with its group,
// locked as LockCardsTx does: among the member's active primary cards, one whose asset
// balance covers need (the largest such balance; for a credit, need is zero and the
// card already holding the most of the asset wins, so points gather on one card), else
// the one holding the most (whose spend then fails as short), oldest first on ties.
// ErrCardNotFound when the member has no active primary card.
func (s *Service) MemberCardTx(ctx context.Context, tx pgx.Tx, member uuid.UUID, asset Asset, need decimal.Decimal) (card, group uuid.UUID, err error) {
	err = tx.QueryRow(ctx, `SELECT c.id FROM cards c
		LEFT JOIN ledger_accounts a ON a.owner_id = c.id AND a.kind = 'card' AND a.asset = $2
		WHERE c.member_id = $1 AND c.status = 'active' AND c.primary_card_id IS NULL
		ORDER BY coalesce(a.balance, 0) >= $3 DESC, coalesce(a.balance, 0) DESC, c.issued_at, c.id LIMIT 1`,
		member, string(asset), need).Scan(&card)
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
