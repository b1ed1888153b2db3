package members

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/members/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// IssueCardInput is a new card for a member. UID is set for physical cards. A
// supplementary card names its primary card (whose type it takes) and a spend limit.
type IssueCardInput struct {
	MemberID      uuid.UUID
	CardTypeID    uuid.UUID
	UID           string
	PrimaryCardID *uuid.UUID
	SpendLimit    *decimal.Decimal
	ExpiresAt     *time.Time
	Reason        string
}

// IssueCard issues a card to a member; staff serving the member's group.
func (s *Service) IssueCard(ctx context.Context, in IssueCardInput) (Card, error) {
	in.UID = strings.TrimSpace(in.UID)
	if err := validIssue(in, s.now()); err != nil {
		return Card{}, err
	}
	var c Card
	err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		m, err := loadMember(ctx, tx, in.MemberID)
		if err != nil {
			return err
		}
		if err := s.requireGroup(ctx, tx, m.GroupID, memberRoles); err != nil {
			return err
		}
		if m.Status != MemberActive || m.RegisteredAt == nil {
			return ErrMemberInactive
		}
		if in.PrimaryCardID != nil {
			if in.CardTypeID, err = checkPrimary(ctx, tx, *in.PrimaryCardID, m.GroupID, in.CardTypeID); err != nil {
				return err
			}
		}
		if err := checkCardType(ctx, tx, in.CardTypeID, m.GroupID); err != nil {
			return err
		}
		c, err = s.insertCard(ctx, tx, Card{GroupID: m.GroupID, MemberID: m.ID, CardTypeID: in.CardTypeID, UID: in.UID,
			PrimaryCardID: in.PrimaryCardID, SpendLimit: in.SpendLimit, ExpiresAt: in.ExpiresAt})
		if err != nil {
			return err
		}
		return s.cardEvent(ctx, tx, c, OpIssue, "", in.Reason, nil)
	})
	return c, err
}

func validIssue(in IssueCardInput, now time.Time) error {
	switch {
	case in.CardTypeID == uuid.Nil && in.PrimaryCardID == nil:
		return ErrCardTypeRequired.At("input", "cardTypeId")
	case len(in.UID) > 64:
		return errs.Invalid("input.uid", "uid must be at most 64 characters")
	case (in.PrimaryCardID != nil) != (in.SpendLimit != nil):
		return errs.Invalid("input.spendLimit", "a supplementary card, and only it, has a spend limit")
	case in.ExpiresAt != nil && !in.ExpiresAt.After(now):
		return errs.Invalid("input.expiresAt", "expiry must be in the future")
	case len(in.Reason) > 500:
		return errs.Invalid("input.reason", "reason must be at most 500 characters")
	}
	if l := in.SpendLimit; l != nil && (l.IsNegative() || l.Exponent() < -2 || l.GreaterThan(decimal.New(1, 12))) {
		return errs.Invalid("input.spendLimit", "spend limit must be a non-negative amount with at most 2 decimals")
	}
	return nil
}

// checkPrimary: the primary card is an active primary card of the group; the
// supplementary card takes its type. Returns that type.
func checkPrimary(ctx context.Context, tx pgx.Tx, id, group, typeID uuid.UUID) (uuid.UUID, error) {
	p, err := CardForUpdate(ctx, tx, id)
	if err != nil {
		return uuid.Nil, ErrBadPrimaryCard.At("input", "primaryCardId").Msgf("primary card not found")
	}
	if p.GroupID != group || p.Status != StatusActive || p.Supplementary() || (typeID != uuid.Nil && typeID != p.CardTypeID) {
		return uuid.Nil, ErrBadPrimaryCard.At("input", "primaryCardId")
	}
	return p.CardTypeID, nil
}

func checkCardType(ctx context.Context, q storage.Querier, id, group uuid.UUID) error {
	ok, err := queries.New(q).CardTypeInGroup(ctx, id, group)
	if err != nil {
		return fmt.Errorf("check card type: %w", err)
	}
	if !ok {
		return errs.Invalid("input.cardTypeId", "no such card type in the member's group")
	}
	return nil
}

// insertCard stores a new active card with a fresh number (drawn again, up to three
// times, when it collides with an existing one).
func (s *Service) insertCard(ctx context.Context, tx pgx.Tx, c Card) (Card, error) {
	c.ID, c.Status = service.NewID(), StatusActive
	for attempt := 0; ; attempt++ {
		c.Number = newCardNumber()
		err := s.tryInsertCard(ctx, tx, c)
		switch {
		case storage.IsConstraint(err, "cards_number_key") && attempt < 3:
			continue
		case storage.IsConstraint(err, "cards_uid_key"):
			return c, ErrCardUIDTaken.At("input", "uid")
		case err != nil:
			return c, fmt.Errorf("insert card: %w", err)
		}
		return cardByID(ctx, tx, c.ID)
	}
}

// tryInsertCard inserts c under a savepoint (pgx's nested transaction), so a number
// collision leaves tx usable for the next attempt.
func (s *Service) tryInsertCard(ctx context.Context, tx pgx.Tx, c Card) error {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return err
	}
	err = queries.New(sp).InsertCard(ctx, queries.InsertCardParams{ID: c.ID, GroupID: c.GroupID, MemberID: c.MemberID,
		CardTypeID: c.CardTypeID, Number: c.Number, Uid: c.UID, Status: string(c.Status), PrimaryCardID: c.PrimaryCardID,
		SpendLimit: c.SpendLimit, IssuedAt: s.now(), ExpiresAt: c.ExpiresAt})
	if err != nil {
		_ = sp.Rollback(ctx)
		return err
	}
	return sp.Commit(ctx)
}

// newCardNumber is 16 random digits starting with 8 (not a bank card prefix).
func newCardNumber() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1e15))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	s := n.String()
	return "8" + strings.Repeat("0", 15-len(s)) + s
}
