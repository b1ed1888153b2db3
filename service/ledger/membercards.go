package ledger

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
)

// MemberCardTx returns the card to pay with or credit when no card is presented (a
// sign-in reward, a lottery, a booking paid from the mini-program), with its group,
// locked as LockCardsTx does: among the member's active primary cards, one whose asset
// balance covers need (the largest such balance; for a credit, need is zero and the
// card already holding the most of the asset wins, so points gather on one card), else
// the one holding the most (whose spend then fails as short), oldest first on ties.
// ErrCardNotFound when the member has no active primary card.
func (s *Service) MemberCardTx(ctx context.Context, tx pgx.Tx, member uuid.UUID, asset Asset, need decimal.Decimal) (card, group uuid.UUID, err error) {
	card, err = queries.New(tx).MemberCard(ctx, queries.MemberCardParams{MemberID: member, Asset: string(asset), Need: need})
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
	current, err := queries.New(tx).CurrentCard(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, ErrCardNotFound
	}
	if err != nil {
		return id, err
	}
	return current, nil
}
