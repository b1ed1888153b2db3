package members

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/storage"
)

// Card statuses.
const (
	StatusActive    = "active"
	StatusLost      = "lost"
	StatusFrozen    = "frozen"
	StatusCancelled = "cancelled"
	StatusReplaced  = "replaced"
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
	Status        string
	PrimaryCardID *uuid.UUID
	SpendLimit    *decimal.Decimal
	IssuedAt      time.Time
	ExpiresAt     *time.Time
	ReplacedBy    *uuid.UUID
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

const cardCols = `c.id, c.group_id, c.member_id, c.card_type_id, t.kind, c.number, coalesce(c.uid, ''), c.status,
	c.primary_card_id, c.spend_limit, c.issued_at, c.expires_at, c.replaced_by`

const cardFrom = ` FROM cards c JOIN card_types t ON t.id = c.card_type_id `

func scanCard(row pgx.Row) (Card, error) {
	var c Card
	err := row.Scan(&c.ID, &c.GroupID, &c.MemberID, &c.CardTypeID, &c.Kind, &c.Number, &c.UID, &c.Status,
		&c.PrimaryCardID, &c.SpendLimit, &c.IssuedAt, &c.ExpiresAt, &c.ReplacedBy)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return c, ErrCardNotFound
	}
	return c, err
}

func cardWhere(ctx context.Context, q storage.Querier, where string, arg any) (Card, error) {
	return scanCard(q.QueryRow(ctx, `SELECT `+cardCols+cardFrom+`WHERE `+where, arg))
}

// CardByUID returns the card with a physical UID, whatever its status (check Usable),
// without an access check: card readers and purchases call it and check scope
// themselves. An unknown UID is ErrCardNotFound.
func (s *Service) CardByUID(ctx context.Context, uid string) (Card, error) {
	if uid == "" || len(uid) > 64 {
		return Card{}, ErrCardNotFound
	}
	return cardWhere(ctx, s.db.Pool, `c.uid = $1`, uid)
}

// CardByNumber returns the card with a number, whatever its status (check Usable),
// without an access check. An unknown number is ErrCardNotFound.
func (s *Service) CardByNumber(ctx context.Context, number string) (Card, error) {
	if number == "" || len(number) > 32 {
		return Card{}, ErrCardNotFound
	}
	return cardWhere(ctx, s.db.Pool, `c.number = $1`, number)
}

// CardByID returns a card without an access check.
func (s *Service) CardByID(ctx context.Context, id uuid.UUID) (Card, error) {
	return cardWhere(ctx, s.db.Pool, `c.id = $1`, id)
}

// MyCards lists the shopper viewer's cards, oldest first.
func (s *Service) MyCards(ctx context.Context) ([]Card, error) {
	id, err := shopper(ctx)
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
	rows, err := s.db.Pool.Query(ctx, `SELECT `+cardCols+cardFrom+`WHERE c.member_id = $1 ORDER BY c.id`, member)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Card, error) { return scanCard(r) })
}

// defaultCard is the member's oldest active primary card, or nil.
func (s *Service) defaultCard(ctx context.Context, member uuid.UUID) (*Card, error) {
	c, err := scanCard(s.db.Pool.QueryRow(ctx, `SELECT `+cardCols+cardFrom+`WHERE c.member_id = $1
		AND c.status = 'active' AND c.primary_card_id IS NULL ORDER BY c.id LIMIT 1`, member))
	if errors.Is(err, ErrCardNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// lockCard reads a card FOR UPDATE inside tx.
func lockCard(ctx context.Context, tx pgx.Tx, id uuid.UUID) (Card, error) {
	return scanCard(tx.QueryRow(ctx, `SELECT `+cardCols+cardFrom+`WHERE c.id = $1 FOR UPDATE OF c`, id))
}

// Card returns a card to its owner or to staff serving its group; to anyone else it
// does not exist.
func (s *Service) Card(ctx context.Context, id uuid.UUID) (Card, error) {
	c, err := s.CardByID(ctx, id)
	if err != nil {
		return c, err
	}
	if v := auth.ViewerFrom(ctx); v.IsShopper() && v.ID == c.MemberID {
		return c, nil
	}
	if err := s.requireGroup(ctx, s.db.Pool, c.GroupID, codeRoles); err != nil {
		if errors.Is(err, errs.ErrForbidden) {
			return Card{}, ErrCardNotFound
		}
		return Card{}, err
	}
	return c, nil
}
