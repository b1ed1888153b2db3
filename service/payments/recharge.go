package payments

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
)

// CardRechargeInput is a shopper's online recharge of one of their stored-value cards,
// at the mall whose mini-program they use.
type CardRechargeInput struct {
	MallID         uuid.UUID
	CardID         uuid.UUID
	Amount         decimal.Decimal
	IdempotencyKey string
}

// StartCardRecharge starts a shopper's online recharge: the shopper's own card, in the
// mall's group, checked by loyalty's recharge rules (card usable, primary, holds stored
// value, the cap with the bonus) BEFORE anything is asked of WeChat Pay; a RECHARGE
// order paid with JSAPI; the parameters of wx.requestPayment. Idempotent per shopper and
// key (once.Do "payments.recharge"): a repeat returns the same order, with parameters
// signed anew while it is unpaid. The recharge itself (with its bonus) is posted when
// WeChat Pay's notification says paid (RechargeSettler).
func (s *Service) StartCardRecharge(ctx context.Context, in CardRechargeInput) (Prepaid, error) {
	me, err := access.Shopper(ctx)
	if err != nil {
		return Prepaid{}, err
	}
	if !s.pay.On() {
		return Prepaid{}, ErrUnavailable
	}
	if _, err := Fen("input.amount", in.Amount); err != nil {
		return Prepaid{}, err
	}
	var pl org.Place
	o, _, err := once.Do(ctx, s.db, once.Op[Order]{Name: "payments.recharge", Key: in.IdempotencyKey, Args: in,
		Authorize: func(ctx context.Context, tx pgx.Tx) error {
			if pl, err = s.org.MallPlace(ctx, tx, in.MallID); err != nil {
				return wrap("mall", err)
			}
			c, err := members.CardOf(ctx, tx, in.CardID)
			if errors.Is(err, members.ErrCardNotFound) || (err == nil && (c.MemberID != me || c.GroupID != pl.GroupID)) {
				return loyalty.ErrCardNotFound.At("input", "cardId") // another shopper's card: nothing to see
			}
			return err
		},
		// The recharge rules are asked in Run, so a repeat replays its order even when
		// the card has filled up since.
		Run: func(ctx context.Context, tx pgx.Tx) (Order, error) {
			if _, _, err := s.loyalty.CheckRecharge(ctx, tx, pl, in.CardID, in.Amount); err != nil {
				return Order{}, err
			}
			openID, err := members.OpenIDOf(ctx, tx, me)
			if err != nil {
				return Order{}, err
			}
			return s.CreateOrderTx(ctx, tx, OrderInput{MallID: in.MallID, Purpose: PurposeRecharge, ReferenceID: in.CardID,
				PayerKind: PayerShopper, PayerID: me, OpenID: openID, Mode: ModeJSAPI, Amount: in.Amount,
				Description: clip(fmt.Sprintf("储值卡充值 stored-value recharge · %s", pl.MallName), 127)})
		}})
	if err != nil {
		return Prepaid{}, err
	}
	return s.Prepay(ctx, o.ID)
}

// RechargeSettler settles RECHARGE orders: the paid order's amount is credited to the
// card by loyalty's recharge (RechargeCardTx: the group's bonus rule, the cap, the card's
// status; the posting moves the money from the outside account — here WeChat Pay's
// clearing — and the bonus from the mall's funding account to the card), keyed by the
// order so it posts once.
type RechargeSettler struct {
	Loyalty *loyalty.Service
	Org     *org.Service
}

// SettleTx credits the recharge.
func (r RechargeSettler) SettleTx(ctx context.Context, tx pgx.Tx, o Order) error {
	pl, err := r.Org.MallPlace(ctx, tx, o.MallID)
	if err != nil {
		return wrap("mall", err)
	}
	_, err = r.Loyalty.RechargeCardTx(ctx, tx, loyalty.PaidRecharge{Mall: pl, CardID: o.ReferenceID, Amount: o.Amount(),
		Key: "recharge:wechatpay:" + o.OutTradeNo})
	return err
}

// RefundTx refuses: loyalty has no path taking a recharge (and its bonus) back off a
// card; the desk cancels the card (退卡) to refund its balance.
func (RechargeSettler) RefundTx(context.Context, pgx.Tx, Order, Refund) error {
	return ErrRechargeNotRefundable
}

// clip cuts s to at most n bytes, on a character boundary.
func clip(s string, n int) string {
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
