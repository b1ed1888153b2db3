package members

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Card is a member card: virtual, or physical with a reader UID; primary, or
// supplementary (spending from its primary card's balance within SpendLimit a day).
type Card struct {
	ID            uuid.UUID
	GroupID       uuid.UUID
	MemberID      uuid.UUID
	CardTypeID    uuid.UUID
	Kind          string // the card type's kind: stored_value, discount, count, points
	Number        string
	UID           string // "" for virtual cards
	Status        CardStatus
	PrimaryCardID *uuid.UUID
	SpendLimit    *decimal.Decimal
	IssuedAt      time.Time
	ExpiresAt     *time.Time
	ReplacedBy    *uuid.UUID
	// StoredValueCap is the most stored value the card may hold (its type's
	// StoredValueCap; zero for a kind that holds no money).
	StoredValueCap decimal.Decimal
}

// Supplementary reports whether the card spends from a primary card.
func (c Card) Supplementary() bool { return c.PrimaryCardID != nil }

// Usable returns nil for an active, unexpired card, else the typed reason it cannot
// be used (expired, lost, frozen, cancelled, replaced — the old number and UID of a
// reissued card).
func (c Card) Usable(now time.Time) error {
	switch c.Status {
	case StatusActive:
		if c.ExpiresAt != nil && !now.Before(*c.ExpiresAt) {
			return ErrCardExpired
		}
		return nil
	case StatusLost:
		return ErrCardLost
	case StatusFrozen:
		return ErrCardFrozen
	case StatusReplaced:
		return ErrCardReplaced
	}
	return ErrCardCancelled
}

// cardRow is every generated card read's row: the card, its type's kind and
// stored-value rules.
type cardRow = struct {
	Card           queries.Card
	Kind           string
	Registered     bool
	StoredValueCap *decimal.Decimal
}

// rowCard converts a card read's result; no row is ErrCardNotFound.
func rowCard[R ~cardRow](r R, err error) (Card, error) {
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Card{}, ErrCardNotFound
	}
	if err != nil {
		return Card{}, fmt.Errorf("load card: %w", err)
	}
	return toCard(cardRow(r)), nil
}

// rowCards converts a card list's result.
func rowCards[R ~cardRow](rows []R, err error) ([]Card, error) {
	if err != nil {
		return nil, fmt.Errorf("load cards: %w", err)
	}
	out := make([]Card, len(rows))
	for i, r := range rows {
		out[i] = toCard(cardRow(r))
	}
	return out, nil
}

func toCard(r cardRow) Card {
	c := r.Card
	return Card{ID: c.ID, GroupID: c.GroupID, MemberID: c.MemberID, CardTypeID: c.CardTypeID, Kind: r.Kind,
		Number: c.Number, UID: deref(c.Uid), Status: CardStatus(c.Status), PrimaryCardID: c.PrimaryCardID,
		SpendLimit: c.SpendLimit, IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt, ReplacedBy: c.ReplacedBy,
		StoredValueCap: StoredValueCap(r.Kind, r.Registered, r.StoredValueCap)}
}

// cardByID reads a card through q without a lock.
func cardByID(ctx context.Context, q storage.Querier, id uuid.UUID) (Card, error) {
	return rowCard(queries.New(q).CardByID(ctx, id))
}

// CardByUID returns the card with a physical UID, whatever its status (check Usable),
// without an access check: card readers and purchases call it and check scope
// themselves. An unknown UID is ErrCardNotFound.
func (s *Service) CardByUID(ctx context.Context, uid string) (Card, error) {
	if uid == "" || len(uid) > 64 {
		return Card{}, ErrCardNotFound
	}
	return rowCard(queries.New(s.db.Pool).CardByUID(ctx, uid))
}

// CardByNumber returns the card with a number, whatever its status (check Usable),
// without an access check. An unknown number is ErrCardNotFound.
func (s *Service) CardByNumber(ctx context.Context, number string) (Card, error) {
	if number == "" || len(number) > 32 {
		return Card{}, ErrCardNotFound
	}
	return rowCard(queries.New(s.db.Pool).CardByNumber(ctx, number))
}

// CardByID returns a card without an access check.
func (s *Service) CardByID(ctx context.Context, id uuid.UUID) (Card, error) {
	return cardByID(ctx, s.db.Pool, id)
}

// MyCards lists the shopper viewer's cards, oldest first.
func (s *Service) MyCards(ctx context.Context) ([]Card, error) {
	id, err := access.Shopper(ctx)
	if err != nil {
		return nil, err
	}
	return s.cardsOf(ctx, id)
}

// MemberCards lists a member's cards to staff serving the member's group.
func (s *Service) MemberCards(ctx context.Context, member uuid.UUID) ([]Card, error) {
	if _, err := s.Member(ctx, member); err != nil {
		return nil, err
	}
	return s.cardsOf(ctx, member)
}

func (s *Service) cardsOf(ctx context.Context, member uuid.UUID) ([]Card, error) {
	return rowCards(queries.New(s.db.Pool).CardsOfMembers(ctx, []uuid.UUID{member}))
}

// defaultCard is the member's oldest active primary card, or nil.
func (s *Service) defaultCard(ctx context.Context, member uuid.UUID) (*Card, error) {
	c, err := rowCard(queries.New(s.db.Pool).DefaultCard(ctx, member, string(StatusActive)))
	if errors.Is(err, ErrCardNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Card returns a card to its owner or to staff serving its group; to anyone else it
// does not exist.
func (s *Service) Card(ctx context.Context, id uuid.UUID) (Card, error) {
	c, err := s.CardByID(ctx, id)
	if err != nil {
		return c, err
	}
	if self, err := access.Shopper(ctx); err == nil && self == c.MemberID {
		return c, nil
	}
	if err := s.requireGroup(ctx, s.db.Pool, c.GroupID, memberRoles); err != nil { // not merchant staff
		if errors.Is(err, errs.ErrForbidden) {
			return Card{}, ErrCardNotFound
		}
		return Card{}, err
	}
	return c, nil
}

// deref is the string p points to, or "".
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
