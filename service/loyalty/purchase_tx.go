package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// purchaseTx does the work of RecordPurchase inside its transaction.
//
// Round trips (a card paying stored value and earning points, no coupons, no tiers):
// after once's authorization and key, the card found and locked in one statement, the
// pending referral with the card accounts' lock and the purchase terms (lockAndTerms),
// and one batch writing the rest (writePurchase); 7 with begin and commit
// (TestPurchaseBaselineWritesSameRows logs them).
func (s *Service) purchaseTx(ctx context.Context, tx pgx.Tx, pl org.Place, in PurchaseInput) (Purchase, error) {
	now := s.now()
	presented, pay, err := payingCards(ctx, tx, pl.GroupID, in, now)
	if err != nil {
		return Purchase{}, err
	}
	cardRate, err := cardDiscount(ctx, tx, presented)
	if err != nil {
		return Purchase{}, err
	}
	t, err := s.lockAndTerms(ctx, tx, pl, pay.MemberID, pay.ID)
	if err != nil {
		return Purchase{}, err
	}
	referrer, refCard, err := s.referrerCard(ctx, tx, t.referrer, pl.GroupID)
	if err != nil {
		return Purchase{}, err
	}
	prog, tier := t.prog, t.tier
	p := Purchase{ID: service.NewID(), MerchantID: pl.MerchantID, MallID: pl.MallID, ReceiptNo: in.ReceiptNo,
		MemberID: pay.MemberID, CardID: presented.ID, PayCardID: pay.ID, Amount: in.Amount, CreatedAt: now,
		StoredValue: in.StoredValue, PointsUsed: in.Points}
	p.DiscountRate = discountRate(tier, cardRate)
	p.Payable = Discounted(in.Amount, p.DiscountRate)
	if err := s.applyCoupons(ctx, tx, presented.MemberID, pl, &p, in.CouponIDs); err != nil {
		return p, err
	}
	p.PointsValue = in.Points.Mul(prog.PointValue).Round(2)
	p.Cash = p.Payable.Sub(p.StoredValue).Sub(p.PointsValue)
	if p.Cash.IsNegative() {
		return p, ErrOverpay.At("input", "storedValue").Msgf("stored value %s and points worth %s exceed the %s due",
			p.StoredValue, p.PointsValue, p.Payable)
	}
	if err := spendLimit(ctx, tx, presented, pl.Loc, now, p.StoredValue); err != nil {
		return p, err
	}
	if err := s.writePurchase(ctx, tx, pl, t, &p, in); err != nil {
		return p, err
	}
	if err := s.purchasedHooks(ctx, tx, pl, p, in); err != nil {
		return p, err
	}
	if err := s.referralTx(ctx, tx, pl, prog, &p, referrer, refCard); err != nil {
		return p, err
	}
	p.TierID, p.Upgraded, err = upgradeTx(ctx, tx, prog, t.tiers, p.MemberID, now)
	return p, err
}

// payingCards finds the card presented and the card that pays (its primary for a
// supplementary card); both must be usable at now. A presented card must hold stored
// value to pay with it; a member identified by the member code pays stored value from
// the card PayCard chooses among their stored-value cards.
func payingCards(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, in PurchaseInput, now time.Time) (members.Card, members.Card, error) {
	presented, err := findCard(ctx, tx, groupID, in.CardNumber, in.MemberID)
	if err != nil {
		return presented, presented, err
	}
	if err := usable(presented, now, "input.cardNumber"); err != nil {
		return presented, presented, err
	}
	pay := presented
	if presented.Supplementary() {
		if pay, err = cardByID(ctx, tx, *presented.PrimaryCardID); err != nil {
			return presented, pay, err
		}
		if err := usable(pay, now, "input.cardNumber"); err != nil {
			return presented, pay, err
		}
	}
	switch {
	case in.PayCardID != uuid.Nil:
		pay, err = chosenPayCard(ctx, tx, groupID, presented.MemberID, in.PayCardID, in.StoredValue, now)
		return presented, pay, err
	case !in.StoredValue.IsPositive():
		return presented, pay, nil
	case in.CardNumber != "":
		return presented, pay, errAt(pay.HoldsStoredValue(), "input", "storedValue")
	}
	pay, err = memberPayCard(ctx, tx, groupID, presented, in.StoredValue, now)
	return presented, pay, err
}

// chosenPayCard is the card id the cashier chose to pay from for a member identified
// by the member code, locked FOR SHARE: a usable primary card of the member in the
// group (another's card does not exist), holding stored value when some is paid.
func chosenPayCard(ctx context.Context, tx pgx.Tx, groupID, member, id uuid.UUID, sv decimal.Decimal, now time.Time) (members.Card, error) {
	c, err := members.CardForShare(ctx, tx, id)
	switch {
	case errors.Is(err, members.ErrCardNotFound) || err == nil && (c.MemberID != member || c.GroupID != groupID):
		return c, ErrCardNotFound.At("input", "payCardId")
	case err != nil:
		return c, err
	case c.Supplementary():
		return c, ErrSupplementary.At("input", "payCardId")
	}
	if err := usable(c, now, "input.payCardId"); err != nil {
		return c, err
	}
	if sv.IsPositive() {
		return c, errAt(c.HoldsStoredValue(), "input", "payCardId")
	}
	return c, nil
}

// memberPayCard is the card of a member identified by the member code (whose default
// card is def) that pays need of stored value (PayCard), locked FOR SHARE.
func memberPayCard(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, def members.Card, need decimal.Decimal, now time.Time) (members.Card, error) {
	cards, err := members.StoredValueCardsIn(ctx, tx, def.MemberID, groupID)
	if err != nil {
		return def, err
	}
	ids := make([]uuid.UUID, len(cards))
	for i, c := range cards {
		ids[i] = c.ID
	}
	balances, err := ledger.CardsBalanceTx(ctx, tx, ledger.CNY, ids...)
	if err != nil {
		return def, err
	}
	chosen, err := PayCard(def, cards, balances, need, now)
	if err != nil || chosen.ID == def.ID {
		return def, err
	}
	pay, err := cardByID(ctx, tx, chosen.ID)
	if err != nil {
		return pay, err
	}
	return pay, usable(pay, now, "input.memberId")
}

// PayCard chooses the card that pays need of stored value for a member identified by
// the member code (no card presented): their default card def when it holds stored value
// and enough of it, else the oldest of their usable stored-value cards (cards, oldest
// first, with balances) holding enough. A member without a usable stored-value card gets
// CARD_HOLDS_NO_STORED_VALUE; one whose cards each hold too little, INSUFFICIENT_BALANCE
// (a payment is not split across cards).
func PayCard(def members.Card, cards []members.Card, balances map[uuid.UUID]decimal.Decimal, need decimal.Decimal,
	now time.Time) (members.Card, error) {
	var most *members.Card
	for _, c := range slices.SortedStableFunc(slices.Values(cards), func(a, b members.Card) int {
		return cmpBool(b.ID == def.ID, a.ID == def.ID) // the default card first, then the given order
	}) {
		if c.HoldsStoredValue() != nil || c.Supplementary() || c.Usable(now) != nil {
			continue
		}
		if balances[c.ID].GreaterThanOrEqual(need) {
			return c, nil
		}
		if most == nil || balances[c.ID].GreaterThan(balances[most.ID]) {
			most = &c
		}
	}
	if most == nil {
		return def, ErrHoldsNoStoredValue.At("input", "storedValue").Msgf("the member has no usable stored-value card")
	}
	return def, ErrInsufficient.At("input", "storedValue").Msgf("no stored-value card of the member holds %s (the most one holds is %s)",
		need.StringFixed(2), balances[most.ID].StringFixed(2))
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// nilIfZero is id, or nil for uuid.Nil (a nullable column).
func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// writePurchase pays for p (the payment posting), awards the points it earns (the
// award's posting and lot) and records it with its leaderboard earning and lines, in
// one batch with the stored response (made for the member's tier unchanged: an upgrade
// stores it again). A payment taking points takes its lots first, in round trips of
// its own. A debit the card's balance refuses is INSUFFICIENT_BALANCE whatever else the
// batch met (the card's accounts are locked: a cached leg without its new balance was
// refused).
func (s *Service) writePurchase(ctx context.Context, tx pgx.Tx, pl org.Place, t terms, p *Purchase, in PurchaseInput) error {
	var b storage.Batch
	var pieces []ledger.Piece
	var paid *ledger.QueuedPosting
	var err error
	if p.PointsUsed.IsPositive() {
		pieces, err = s.pay(ctx, tx, pl, *p)
	} else {
		paid, err = s.queuePay(ctx, &b, pl, *p)
	}
	if err != nil {
		return err
	}
	earn, err := s.queueEarn(ctx, &b, pl, t, p)
	if err != nil {
		return err
	}
	lot := uuid.Nil
	if earn != nil {
		lot = earn.LotID()
	}
	e, err := queuePurchase(ctx, &b, pl, p, pieces, lot, in)
	if err != nil {
		return err
	}
	expected := *p
	expected.TierID = t.tierID()
	if err := once.QueueResponse(ctx, &b, expected); err != nil {
		return err
	}
	return s.finishPurchase(ctx, tx, &b, paid, earn, p, e)
}

// finishPurchase sends writePurchase's batch and completes its postings.
func (s *Service) finishPurchase(ctx context.Context, tx pgx.Tx, b *storage.Batch, paid *ledger.QueuedPosting,
	earn *ledger.QueuedEarn, p *Purchase, e *earning) error {
	err := b.Send(ctx, tx)
	switch {
	case err != nil && paid != nil && paid.Refused():
		return payErr(ledger.ErrInsufficient)
	case errors.Is(storage.MapError(err), storage.ErrConflict):
		return ErrReceiptTaken.At("input", "receiptNo")
	case err != nil:
		return err
	}
	if paid != nil {
		if _, err := paid.Finish(ctx, tx); err != nil {
			return payErr(err)
		}
	}
	if earn != nil {
		if _, err := earn.Finish(ctx, tx); err != nil {
			return err
		}
	}
	if e != nil {
		p.earned = append(p.earned, *e)
	}
	return nil
}

// queueEarn queues in b the award of the points p earns under the terms' rule (nil
// when it earns none).
func (s *Service) queueEarn(ctx context.Context, b *storage.Batch, pl org.Place, t terms, p *Purchase) (*ledger.QueuedEarn, error) {
	multiplier := decimal.NewFromInt(1)
	if t.tier != nil {
		multiplier = t.tier.PointsMultiplier
	}
	p.PointsEarned = PointsFor(p.StoredValue.Add(p.Cash), t.rule, multiplier)
	if !p.PointsEarned.IsPositive() {
		return nil, nil
	}
	return s.ledger.QueueEarnTx(ctx, b, ledger.Earn{GroupID: pl.GroupID, CardID: p.PayCardID, Points: p.PointsEarned,
		From: ledger.System(ledger.KindIssuance, ledger.Points), Kind: "earn", Key: "earn:" + p.ID.String(),
		AvailableAt: p.CreatedAt.AddDate(0, 0, t.prog.ReturnWindowDays),
		ExpiresAt:   ExpiryOf(p.CreatedAt, pl.Loc, t.prog.PointsExpiryDays), Memo: p.ReceiptNo})
}

// queuePurchase queues in b the row of p and, when it earned points, their leaderboard
// earning (returned), and its lines.
func queuePurchase(ctx context.Context, b *storage.Batch, pl org.Place, p *Purchase, pieces []ledger.Piece, lot uuid.UUID,
	in PurchaseInput) (*earning, error) {
	body, err := json.Marshal(pieces)
	if err != nil {
		return nil, err
	}
	couponIDs := p.CouponIDs
	if couponIDs == nil {
		couponIDs = []uuid.UUID{}
	}
	var e *earning
	if p.PointsEarned.IsPositive() {
		e = queueEarning(ctx, b, pl, p.MemberID, p.PointsEarned, p.CreatedAt)
	}
	b.Queue(func(q storage.Querier) {
		_ = queries.New(q).InsertPurchase(ctx, queries.InsertPurchaseParams{ID: p.ID, GroupID: pl.GroupID,
			MallID: p.MallID, MerchantID: p.MerchantID, ReceiptNo: p.ReceiptNo, MemberID: p.MemberID, CardID: p.CardID,
			PayCardID: p.PayCardID, Amount: p.Amount, DiscountRate: p.DiscountRate, Payable: p.Payable,
			StoredValue: p.StoredValue, PointsUsed: p.PointsUsed, PointsValue: p.PointsValue, PointsPieces: body,
			Cash: p.Cash, PointsEarned: p.PointsEarned, EarnLotID: nilIfZero(lot), CreatedAt: p.CreatedAt,
			CouponDiscount: p.CouponDiscount, CouponIds: couponIDs, MallFunded: p.MallFunded})
	})
	queueLines(ctx, b, pl, p.ID, in)
	return e, nil
}
