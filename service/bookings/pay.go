package bookings

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
)

// Payment is how a paid booking is paid from the member's primary card.
type Payment string

// The payment methods.
const (
	PayPoints      Payment = "points"
	PayStoredValue Payment = "stored_value"
)

// Outcomes of paid bookings.
var (
	ErrPaymentRequired     = errs.New(errs.KindUser, "BOOKING_PAYMENT_REQUIRED", "this booking costs points or stored value: choose how to pay")
	ErrPaymentNotAccepted  = errs.New(errs.KindUser, "BOOKING_PAYMENT_NOT_ACCEPTED", "this resource cannot be paid that way")
	ErrInsufficientBalance = errs.New(errs.KindUser, "BOOKING_INSUFFICIENT_BALANCE", "the card's balance is not enough for this booking")
	ErrNoCard              = errs.New(errs.KindUser, "BOOKING_NO_CARD", "you have no active membership card to pay with")
)

// WithLedger lets the service charge paid bookings; without it, paid resources cannot
// be booked.
func (s *Service) WithLedger(l *ledger.Service) *Service {
	s.ledger = l
	return s
}

// payingCard returns the member's card to pay need of asset from (ledger.MemberCardTx)
// and its group, locked for the ledger.
func (s *Service) payingCard(ctx context.Context, tx pgx.Tx, member uuid.UUID, asset ledger.Asset, need decimal.Decimal) (uuid.UUID, uuid.UUID, error) {
	card, group, err := s.ledger.MemberCardTx(ctx, tx, member, asset, need)
	if errors.Is(err, ledger.ErrCardNotFound) {
		return card, group, ErrNoCard
	}
	return card, group, err
}

// chargeTx takes the booking's price from the member's primary card with the posting
// key key (unique, so a repeat can never charge twice) and records it on the booking.
func (s *Service) chargeTx(ctx context.Context, tx pgx.Tx, b *Booking, pay Payment, points int, amount decimal.Decimal, key string) error {
	if points <= 0 && !amount.IsPositive() {
		return nil
	}
	switch {
	case pay == "":
		return ErrPaymentRequired
	case pay == PayPoints && points <= 0, pay == PayStoredValue && !amount.IsPositive():
		return ErrPaymentNotAccepted
	case pay != PayPoints && pay != PayStoredValue:
		return ErrPaymentNotAccepted
	}
	if s.ledger == nil {
		return errors.New("bookings: no ledger to charge with")
	}
	asset, need := ledger.CNY, amount
	if pay == PayPoints {
		asset, need = ledger.Points, decimal.NewFromInt(int64(points))
	}
	cardID, group, err := s.payingCard(ctx, tx, b.MemberID, asset, need)
	if err != nil {
		return err
	}
	var pieces []ledger.Piece
	if pay == PayPoints {
		pts := decimal.NewFromInt(int64(points))
		_, pieces, err = s.ledger.SpendTx(ctx, tx, ledger.Posting{GroupID: group, Kind: "booking", Key: key,
			Legs: []ledger.Leg{{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: pts}}}, cardID, pts)
		b.PricePoints = points
	} else {
		_, err = s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: group, Kind: "booking", Key: key,
			Legs: []ledger.Leg{{Account: ledger.Card(cardID, ledger.CNY), Amount: amount.Neg()},
				{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: amount}}})
		b.PriceAmount = amount
	}
	if errors.Is(err, ledger.ErrInsufficient) || errors.Is(err, ledger.ErrInsufficientPoint) {
		return ErrInsufficientBalance
	}
	if err != nil {
		return err
	}
	b.PaidWith = pay
	_, err = tx.Exec(ctx, `UPDATE bookings SET paid_with = $2, paid_points = $3, paid_amount = $4, pay_card_id = $5,
		paid_pieces = $6 WHERE id = $1`, b.ID, string(pay), b.PricePoints, b.PriceAmount, cardID, pieces)
	return err
}

// refundTx gives a cancelled booking's charge back to the card that holds the value of
// the card it was paid from (the same card, or the one it was reissued as; if that card
// is no longer active, the member's card for the asset — see refundCard), by a
// reversing posting keyed by the booking id (so at most once). Points come back as the
// lots they were taken from, with their original expiry; bookings charged before the
// lots were recorded get a fresh lot that expires in a year.
func (s *Service) refundTx(ctx context.Context, tx pgx.Tx, bookingID uuid.UUID) error {
	var (
		paidWith *string
		points   int
		amount   decimal.Decimal
		cardID   *uuid.UUID
		pieces   []ledger.Piece
	)
	tag, err := tx.Exec(ctx, `UPDATE bookings SET refunded = true WHERE id = $1 AND paid_with IS NOT NULL AND NOT refunded`, bookingID)
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	var member uuid.UUID
	if err := tx.QueryRow(ctx, `SELECT member_id, paid_with, paid_points, paid_amount, pay_card_id, paid_pieces FROM bookings
		WHERE id = $1`, bookingID).Scan(&member, &paidWith, &points, &amount, &cardID, &pieces); err != nil {
		return err
	}
	if paidWith == nil || cardID == nil || s.ledger == nil {
		return fmt.Errorf("bookings: cannot refund booking %s", bookingID)
	}
	card, group, err := s.refundCard(ctx, tx, member, *cardID, Payment(*paidWith))
	if err != nil {
		return err
	}
	key := "bookings.refund:" + bookingID.String()
	pts := decimal.NewFromInt(int64(points))
	switch {
	case Payment(*paidWith) == PayPoints && len(pieces) > 0:
		_, err = s.ledger.RestoreTx(ctx, tx, ledger.Posting{GroupID: group, Kind: "booking_refund", Key: key,
			Legs: []ledger.Leg{{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: pts.Neg()}}}, card, pieces)
	case Payment(*paidWith) == PayPoints:
		now := s.now()
		_, err = s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: group, CardID: card, Points: pts,
			From: ledger.System(ledger.KindRedeemed, ledger.Points), AvailableAt: now, ExpiresAt: now.AddDate(1, 0, 0),
			Kind: "booking_refund", Key: key})
	default:
		_, err = s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: group, Kind: "booking_refund", Key: key,
			Legs: []ledger.Leg{{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: amount.Neg()},
				{Account: ledger.Card(card, ledger.CNY), Amount: amount}}})
	}
	return err
}

// refundCard is where a refund of a booking paid from card goes, locked: the card that
// holds card's value now (following reissues), or, when that card is no longer active
// (cancelled, lost, frozen), the member's card for the asset (ledger.MemberCardTx).
func (s *Service) refundCard(ctx context.Context, tx pgx.Tx, member, card uuid.UUID, pay Payment) (uuid.UUID, uuid.UUID, error) {
	current, err := ledger.CurrentCardTx(ctx, tx, card)
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	var active bool
	if err := tx.QueryRow(ctx, `SELECT status = 'active' FROM cards WHERE id = $1`, current).Scan(&active); err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	if !active {
		asset := ledger.CNY
		if pay == PayPoints {
			asset = ledger.Points
		}
		return s.payingCard(ctx, tx, member, asset, decimal.Zero)
	}
	group, err := s.ledger.LockCardsTx(ctx, tx, current)
	return current, group, err
}
