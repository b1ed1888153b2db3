package loyalty

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/page"
)

// CardValue is what a card holds: balances and the points lots with their expiry.
type CardValue struct {
	CardID uuid.UUID
	ledger.Balances
	Lots []ledger.Lot
}

// MyCardValue returns the value on one of the shopper's own cards (a supplementary
// card shows its primary card's value, which it spends from).
func (s *Service) MyCardValue(ctx context.Context, cardID uuid.UUID) (CardValue, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsShopper() {
		return CardValue{}, errs.ErrUnauthenticated
	}
	var owner uuid.UUID
	var primary *uuid.UUID
	err := s.db.Pool.QueryRow(ctx, `SELECT member_id, primary_card_id FROM cards WHERE id = $1`, cardID).Scan(&owner, &primary)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && owner != v.ID) {
		return CardValue{}, errs.ErrNotFound
	}
	if err != nil {
		return CardValue{}, err
	}
	holder := cardID
	if primary != nil {
		holder = *primary
	}
	out := CardValue{CardID: cardID}
	if out.Balances, err = s.ledger.CardBalances(ctx, holder); err != nil {
		return out, err
	}
	out.Lots, err = s.ledger.Lots(ctx, holder)
	return out, err
}

// CurrentMonth is the business month ("2006-01") of now in the group time zone, the
// leaderboards' default.
func (s *Service) CurrentMonth() string { return s.now().In(s.zone).Format("2006-01") }

// MyCardHistory lists the postings that moved one of the shopper's cards, newest first.
func (s *Service) MyCardHistory(ctx context.Context, cardID uuid.UUID, req page.Request) (page.Result[ledger.Movement], error) {
	if _, err := s.MyCardValue(ctx, cardID); err != nil {
		return page.Result[ledger.Movement]{}, err
	}
	return s.ledger.History(ctx, cardID, req)
}
