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
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
)

// RechargeInput is a stored-value recharge at a mall's service desk.
type RechargeInput struct {
	MallID         uuid.UUID
	CardNumber     string
	Amount         decimal.Decimal // paid by the member
	IdempotencyKey string
	// Tender is what the member paid with at the desk (Tenders; "" is CASH).
	Tender string
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
	var err error
	if in.Tender, err = validTender("input.tender", in.Tender); err != nil {
		return Recharge{}, err
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
	r, err := s.creditTx(ctx, tx, pl, c, in.Amount, "cardNumber", "")
	if err != nil {
		return r, err
	}
	return r, s.rechargedHooks(ctx, tx, RechargeEvent{Place: pl, RechargeID: r.ID, Amount: r.Amount, Tender: in.Tender,
		At: s.now()})
}

// rechargeable checks that c may take a recharge of amount now — usable, a primary
// card, of a kind that holds money, and under its stored-value cap with the bonus —
// with the card's ledger accounts locked (concurrent recharges of the card run one
// after the other, so together they cannot pass the cap). It returns the bonus. field
// names the input the card came from.
func (s *Service) rechargeable(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, c members.Card, amount decimal.Decimal,
	field string) (decimal.Decimal, error) {
	if err := usable(c, s.now(), "input."+field); err != nil {
		return decimal.Zero, err
	}
	if c.Supplementary() {
		return decimal.Zero, ErrSupplementary.At("input", field)
	}
	if err := c.HoldsStoredValue(); err != nil {
		return decimal.Zero, errAt(err, "input", field)
	}
	if _, err := s.ledger.LockCardsTx(ctx, tx, c.ID); err != nil {
		return decimal.Zero, err
	}
	bonus, err := rechargeBonus(ctx, tx, groupID, amount)
	if err != nil {
		return decimal.Zero, err
	}
	balance, err := ledger.CardsBalanceTx(ctx, tx, ledger.CNY, c.ID)
	if err != nil {
		return decimal.Zero, err
	}
	if err := c.CheckStoredValueCredit(balance[c.ID], amount.Add(bonus)); err != nil {
		return decimal.Zero, errAt(err, "input", "amount")
	}
	return bonus, nil
}

// creditTx records a recharge of amount to c at pl: the checks of rechargeable, then
// the posting — the money from outside (ledger KindOutside: the desk's till, or WeChat
// Pay for an online recharge) and the bonus from the mall's funding account
// (KindFunding) to the card's CNY account. key is the posting's key ("": one of its
// own).
func (s *Service) creditTx(ctx context.Context, tx pgx.Tx, pl org.Place, c members.Card, amount decimal.Decimal,
	field, key string) (Recharge, error) {
	bonus, err := s.rechargeable(ctx, tx, pl.GroupID, c, amount, field)
	if err != nil {
		return Recharge{}, err
	}
	r := Recharge{ID: service.NewID(), CardID: c.ID, Amount: amount, Bonus: bonus}
	if key == "" {
		key = "recharge:" + r.ID.String()
	}
	legs := []ledger.Leg{{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: amount.Neg()},
		{Account: ledger.Card(c.ID, ledger.CNY), Amount: amount.Add(bonus)}}
	if bonus.IsPositive() {
		legs = append(legs, ledger.Leg{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: bonus.Neg()})
	}
	posted, err := s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: pl.GroupID, Kind: "recharge", Key: key, Legs: legs})
	if err != nil {
		return r, err
	}
	r.Balance = posted.Balances[ledger.Card(c.ID, ledger.CNY)]
	var staff *uuid.UUID
	if v := auth.ViewerFrom(ctx); v != nil {
		staff = &v.ID
	}
	return r, queries.New(tx).InsertRecharge(ctx, queries.InsertRechargeParams{ID: r.ID, GroupID: pl.GroupID,
		MallID: pl.MallID, CardID: c.ID, Amount: amount, Bonus: bonus, StaffID: staff, CreatedAt: s.now()})
}

// CheckRecharge asks, in the caller's transaction, whether card may take a recharge of
// amount at mall now, by the rules of RechargeCard (usable, primary, holds stored
// value, under its cap with the bonus); it returns the card and the bonus it would get.
// An online recharge asks it before the shopper pays. No access check: the caller
// checks whose card it is.
func (s *Service) CheckRecharge(ctx context.Context, tx pgx.Tx, mall org.Place, cardID uuid.UUID,
	amount decimal.Decimal) (members.Card, decimal.Decimal, error) {
	if err := money("input.amount", amount, true); err != nil {
		return members.Card{}, decimal.Zero, err
	}
	c, err := s.cardIn(ctx, tx, mall.GroupID, cardID)
	if err != nil {
		return c, decimal.Zero, err
	}
	bonus, err := s.rechargeable(ctx, tx, mall.GroupID, c, amount, "cardId")
	return c, bonus, err
}

// PaidRecharge is a recharge paid elsewhere (online) and credited by RechargeCardTx.
type PaidRecharge struct {
	Mall   org.Place
	CardID uuid.UUID
	Amount decimal.Decimal
	// Key is the ledger posting's key, unique to the payment (e.g.
	// "recharge:wechatpay:<out_trade_no>"): a second credit of one payment is refused.
	Key string
}

// RechargeCardTx credits a recharge that was paid online, in the caller's transaction
// (the payment's), by the very rules and posting of RechargeCard (bonus, cap, card
// status); no access check: the payment is the authority. The caller runs it once per
// payment; the posting key makes a second run fail.
func (s *Service) RechargeCardTx(ctx context.Context, tx pgx.Tx, in PaidRecharge) (Recharge, error) {
	if in.Key == "" {
		return Recharge{}, errs.Invalid("key", "a paid recharge needs its payment's key")
	}
	c, err := s.cardIn(ctx, tx, in.Mall.GroupID, in.CardID)
	if err != nil {
		return Recharge{}, err
	}
	return s.creditTx(ctx, tx, in.Mall, c, in.Amount, "cardId", in.Key)
}

// cardIn locks a card of group by id (FOR SHARE); a card of another group is not found.
func (s *Service) cardIn(ctx context.Context, tx pgx.Tx, group, id uuid.UUID) (members.Card, error) {
	c, err := cardByID(ctx, tx, id)
	if err == nil && c.GroupID != group {
		err = ErrCardNotFound
	}
	return c, err
}
