package loyalty

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Who may move value: the service desk of a mall, the cashiers of a merchant (admins too).
var (
	deskRoles    = []auth.Role{auth.RoleServiceDesk, auth.RoleAdmin}
	cashierRoles = []auth.Role{auth.RoleMerchantStaff, auth.RoleAdmin}
)

// atMerchant is a once.Op Authorize: it loads the merchant into pl and checks the
// caller holds one of roles there.
func (s *Service) atMerchant(pl *org.Place, id uuid.UUID, roles ...auth.Role) func(context.Context, pgx.Tx) error {
	return func(ctx context.Context, tx pgx.Tx) (err error) {
		if *pl, err = s.org.MerchantPlace(ctx, tx, id); err != nil {
			return fmt.Errorf("load merchant: %w", err)
		}
		return access.At(ctx, pl.Ref(), roles...)
	}
}

// atMerchantQueued is atMerchant as a once.Op AuthorizeQueued: the merchant is read in
// the round trip that claims the idempotency key.
func (s *Service) atMerchantQueued(pl *org.Place, id uuid.UUID, roles ...auth.Role) func(context.Context, *storage.Batch) func() error {
	return func(ctx context.Context, b *storage.Batch) func() error {
		read := s.org.QueueMerchantPlace(ctx, b, id)
		return func() (err error) {
			if *pl, err = read(); err != nil {
				return fmt.Errorf("load merchant: %w", err)
			}
			return access.At(ctx, pl.Ref(), roles...)
		}
	}
}

// atMall is atMerchant for a mall.
func (s *Service) atMall(pl *org.Place, id uuid.UUID, roles ...auth.Role) func(context.Context, pgx.Tx) error {
	return func(ctx context.Context, tx pgx.Tx) (err error) {
		if *pl, err = s.org.MallPlace(ctx, tx, id); err != nil {
			return fmt.Errorf("load mall: %w", err)
		}
		return access.At(ctx, pl.Ref(), roles...)
	}
}

// usable is members.Card.Usable at now (the one rule: status and expiry), naming the
// input field ("input.cardNumber") an unusable card is reported on.
func usable(c members.Card, now time.Time, field string) error {
	err := c.Usable(now)
	if e, ok := errs.As(err); ok {
		return e.At(strings.Split(field, ".")...)
	}
	return err
}

// errAt is err naming the input field path, when it is a typed error.
func errAt(err error, path ...string) error {
	if e, ok := errs.As(err); ok {
		return e.At(path...)
	}
	return err
}

// findCard finds the card with number, or the member's default card, in group, and
// locks it: FOR UPDATE when it is a supplementary card (its daily limit is checked),
// FOR SHARE otherwise (it cannot change status under the purchase). The statement that
// finds the card locks it: a primary card (the usual one) costs one round trip, a
// supplementary card two (the primary lookup misses first).
func findCard(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, number string, member uuid.UUID) (members.Card, error) {
	if number == "" {
		return wrapCard(members.DefaultCardInForShare(ctx, tx, member, groupID))
	}
	c, err := members.PrimaryCardByNumberForShare(ctx, tx, groupID, number)
	if errors.Is(err, members.ErrCardNotFound) {
		c, err = members.SupplementaryCardByNumberForUpdate(ctx, tx, groupID, number)
	}
	return wrapCard(c, err)
}

// wrapCard names a failed card lookup.
func wrapCard(c members.Card, err error) (members.Card, error) {
	if err != nil {
		return c, fmt.Errorf("find card: %w", err)
	}
	return c, nil
}

// cardByID locks a card by id (FOR SHARE).
func cardByID(ctx context.Context, tx pgx.Tx, id uuid.UUID) (members.Card, error) {
	c, err := members.CardForShare(ctx, tx, id)
	if err != nil {
		return c, fmt.Errorf("lock card: %w", err)
	}
	return c, nil
}

// cardDiscount is the discount rate of a discount card's type (nil for other kinds).
func cardDiscount(ctx context.Context, tx pgx.Tx, c members.Card) (*decimal.Decimal, error) {
	if c.Kind != "discount" {
		return nil, nil
	}
	rate, err := queries.New(tx).CardTypeDiscount(ctx, c.CardTypeID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return rate, err
}

// currentCard is the card that holds the value of card id now (see ledger.CurrentCardTx).
func currentCard(ctx context.Context, tx pgx.Tx, id uuid.UUID) (uuid.UUID, error) {
	return ledger.CurrentCardTx(ctx, tx, id)
}
