package loyalty

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
)

// Errors of count cards (计次卡).
var (
	ErrNotCountCard = errs.New(errs.KindUser, "NOT_COUNT_CARD", "the card is not a count card")
	ErrNoUsesLeft   = errs.New(errs.KindUser, "NO_USES_LEFT", "the card has not that many uses left")
)

// UsesInput adds uses to, or takes uses from, a count card at a mall's service desk.
type UsesInput struct {
	MallID         uuid.UUID
	CardNumber     string
	Uses           int
	Price          decimal.Decimal // AddUses only: what the member paid (zero for a gift)
	IdempotencyKey string
}

// Uses is a count card's uses after an operation.
type Uses struct {
	CardID uuid.UUID `json:"cardId"`
	Left   int64     `json:"left"`
}

// AddUses sells (or gives) uses of a count card's service; the price goes from the
// outside world to the mall. Service desk staff of the mall only; idempotent (once.Do
// "loyalty.card_uses.add").
func (s *Service) AddUses(ctx context.Context, in UsesInput) (Uses, error) {
	if err := money("input.price", in.Price, false); err != nil {
		return Uses{}, err
	}
	return s.uses(ctx, in, "loyalty.card_uses.add", "uses_add", func(card uuid.UUID, n decimal.Decimal) []ledger.Leg {
		legs := []ledger.Leg{{Account: ledger.System(ledger.KindIssuance, ledger.Uses), Amount: n.Neg()},
			{Account: ledger.Card(card, ledger.Uses), Amount: n}}
		if in.Price.IsPositive() {
			legs = append(legs, ledger.Leg{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: in.Price.Neg()},
				ledger.Leg{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: in.Price})
		}
		return legs
	})
}

// RedeemUses takes uses from a count card when the member uses the service; never
// more than are left (NO_USES_LEFT). Service desk staff of the mall only; idempotent
// (once.Do "loyalty.card_uses.redeem").
func (s *Service) RedeemUses(ctx context.Context, in UsesInput) (Uses, error) {
	in.Price = decimal.Zero
	return s.uses(ctx, in, "loyalty.card_uses.redeem", "uses_redeem", func(card uuid.UUID, n decimal.Decimal) []ledger.Leg {
		return []ledger.Leg{{Account: ledger.Card(card, ledger.Uses), Amount: n.Neg()},
			{Account: ledger.System(ledger.KindRedeemed, ledger.Uses), Amount: n}}
	})
}

// uses runs operation op (posting kind kind) on a count card at a service desk.
func (s *Service) uses(ctx context.Context, in UsesInput, op, kind string, legs func(uuid.UUID, decimal.Decimal) []ledger.Leg) (Uses, error) {
	in.CardNumber = strings.TrimSpace(in.CardNumber)
	if in.Uses <= 0 || in.Uses > 10000 {
		return Uses{}, errs.Invalid("input.uses", "uses must be 1 to 10000")
	}
	var pl org.Place
	out, _, err := once.Do(ctx, s.db, once.Op[Uses]{Name: op, Key: in.IdempotencyKey, Args: in,
		Authorize: s.atMall(&pl, in.MallID, deskRoles...),
		Run:       func(ctx context.Context, tx pgx.Tx) (Uses, error) { return s.usesTx(ctx, tx, pl, in, kind, legs) }})
	return out, err
}

func (s *Service) usesTx(ctx context.Context, tx pgx.Tx, pl org.Place, in UsesInput, kind string,
	legs func(uuid.UUID, decimal.Decimal) []ledger.Leg) (Uses, error) {
	c, err := findCard(ctx, tx, pl.GroupID, in.CardNumber, uuid.Nil)
	if err != nil {
		return Uses{}, err
	}
	if err := usable(c, s.now(), "input.cardNumber"); err != nil {
		return Uses{}, err
	}
	if c.Kind != "count" {
		return Uses{}, ErrNotCountCard.At("input", "cardNumber")
	}
	if _, err := s.ledger.LockCardsTx(ctx, tx, c.ID); err != nil {
		return Uses{}, err
	}
	posted, err := s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: pl.GroupID, Kind: ledger.PostingKind(kind),
		Key: kind + ":" + service.NewID().String(), Legs: legs(c.ID, decimal.NewFromInt(int64(in.Uses)))})
	if err != nil {
		if errors.Is(err, ledger.ErrInsufficient) {
			return Uses{}, ErrNoUsesLeft.At("input", "uses")
		}
		return Uses{}, err
	}
	return Uses{CardID: c.ID, Left: posted.Balances[ledger.Card(c.ID, ledger.Uses)].IntPart()}, nil
}
