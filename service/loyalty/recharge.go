package loyalty

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
)

// RechargeInput is a stored-value recharge at a mall's service desk.
type RechargeInput struct {
	MallID         uuid.UUID
	CardNumber     string
	Amount         decimal.Decimal // paid by the member
	IdempotencyKey string
}

// Recharge is a recorded recharge.
type Recharge struct {
	ID      uuid.UUID       `json:"id"`
	CardID  uuid.UUID       `json:"cardId"`
	Amount  decimal.Decimal `json:"amount"`
	Bonus   decimal.Decimal `json:"bonus"`
	Balance decimal.Decimal `json:"balance"` // stored value after
}

// RechargeCard adds stored value to a card, plus the bonus of the group's recharge
// rules (pay 100, get 110), funded by the mall. Only service-desk staff (or admins)
// of the mall may recharge; idempotent per caller and key (once.Do "loyalty.recharge").
func (s *Service) RechargeCard(ctx context.Context, in RechargeInput) (Recharge, error) {
	in.CardNumber = strings.TrimSpace(in.CardNumber)
	if err := money("input.amount", in.Amount, true); err != nil {
		return Recharge{}, err
	}
	if in.CardNumber == "" {
		return Recharge{}, errs.Invalid("input.cardNumber", "card number is required")
	}
	var pl org.Place
	out, _, err := once.Do(ctx, s.db, once.Op[Recharge]{Name: "loyalty.recharge", Key: in.IdempotencyKey, Args: in,
		Authorize: s.atMall(&pl, in.MallID, deskRoles...),
		Run:       func(ctx context.Context, tx pgx.Tx) (Recharge, error) { return s.rechargeTx(ctx, tx, pl, in) }})
	return out, err
}

func (s *Service) rechargeTx(ctx context.Context, tx pgx.Tx, pl org.Place, in RechargeInput) (Recharge, error) {
	c, err := findCard(ctx, tx, pl.GroupID, in.CardNumber, uuid.Nil)
	if err != nil {
		return Recharge{}, err
	}
	if err := usable(c, s.now(), "input.cardNumber"); err != nil {
		return Recharge{}, err
	}
	if c.Supplementary() {
		return Recharge{}, ErrSupplementary.At("input", "cardNumber")
	}
	if err := c.HoldsStoredValue(); err != nil {
		return Recharge{}, errAt(err, "input", "cardNumber")
	}
	if _, err := s.ledger.LockCardsTx(ctx, tx, c.ID); err != nil {
		return Recharge{}, err
	}
	bonus, err := rechargeBonus(ctx, tx, pl.GroupID, in.Amount)
	if err != nil {
		return Recharge{}, err
	}
	// The card's accounts are locked: concurrent recharges of the card run one after
	// the other, so together they cannot pass the cap.
	balance, err := ledger.CardsBalanceTx(ctx, tx, ledger.CNY, c.ID)
	if err != nil {
		return Recharge{}, err
	}
	if err := c.CheckStoredValueCredit(balance[c.ID], in.Amount.Add(bonus)); err != nil {
		return Recharge{}, errAt(err, "input", "amount")
	}
	r := Recharge{ID: service.NewID(), CardID: c.ID, Amount: in.Amount, Bonus: bonus}
	legs := []ledger.Leg{{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: in.Amount.Neg()},
		{Account: ledger.Card(c.ID, ledger.CNY), Amount: in.Amount.Add(bonus)}}
	if bonus.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: bonus.Neg()})
	}
	posted, err := s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: pl.GroupID, Kind: "recharge",
		Key: "recharge:" + r.ID.String(), Legs: legs})
	if err != nil {
		return r, err
	}
	r.Balance = posted.Balances[ledger.Card(c.ID, ledger.CNY)]
	var staff *uuid.UUID
	if v := auth.ViewerFrom(ctx); v != nil {
		staff = &v.ID
	}
	return r, queries.New(tx).InsertRecharge(ctx, queries.InsertRechargeParams{ID: r.ID, GroupID: pl.GroupID,
		MallID: pl.MallID, CardID: c.ID, Amount: in.Amount, Bonus: bonus, StaffID: staff, CreatedAt: s.now()})
}
