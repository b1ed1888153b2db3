package loyalty

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
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
	c, err := s.myCard(ctx, cardID)
	if err != nil {
		return CardValue{}, err
	}
	holder := cardID
	if c.Supplementary() {
		holder = *c.PrimaryCardID
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
func (s *Service) CurrentMonth() string { return calendar.Month(s.now(), s.zone()) }

// MyCardHistory lists the postings that moved one of the shopper's cards, newest first.
func (s *Service) MyCardHistory(ctx context.Context, cardID uuid.UUID, req page.Request) (page.Result[ledger.Movement], error) {
	if _, err := s.myCard(ctx, cardID); err != nil {
		return page.Result[ledger.Movement]{}, err
	}
	return s.ledger.History(ctx, cardID, req)
}

// myCard authorizes the shopper for one of their own cards and returns it: one read
// of the card, nothing of its value. Another member's card is ErrNotFound.
func (s *Service) myCard(ctx context.Context, cardID uuid.UUID) (members.Card, error) {
	member, err := access.Shopper(ctx)
	if err != nil {
		return members.Card{}, err
	}
	c, err := members.CardOf(ctx, s.db.Pool, cardID)
	if errors.Is(err, members.ErrCardNotFound) || (err == nil && c.MemberID != member) {
		return members.Card{}, errs.ErrNotFound
	}
	if err != nil {
		return members.Card{}, fmt.Errorf("load card: %w", err)
	}
	return c, nil
}
