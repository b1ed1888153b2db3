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

// primaryCard returns the member's first active primary card and its group, locked for
// the ledger.
func (s *Service) primaryCard(ctx context.Context, tx pgx.Tx, member uuid.UUID) (uuid.UUID, uuid.UUID, error) {
	var cardID uuid.UUID
	err := tx.QueryRow(ctx, `SELECT id FROM cards WHERE member_id = $1 AND status = 'active'
		AND primary_card_id IS NULL ORDER BY issued_at, id LIMIT 1`, member).Scan(&cardID)
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, uuid.Nil, ErrNoCard
	}
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	group, err := s.ledger.LockCardsTx(ctx, tx, cardID)
	return cardID, group, err
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
	cardID, group, err := s.primaryCard(ctx, tx, b.MemberID)
	if err != nil {
		return err
	}
	if pay == PayPoints {
		pts := decimal.NewFromInt(int64(points))
		_, _, err = s.ledger.SpendTx(ctx, tx, ledger.Posting{GroupID: group, Kind: "booking", Key: key,
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
	_, err = tx.Exec(ctx, `UPDATE bookings SET paid_with = $2, paid_points = $3, paid_amount = $4, pay_card_id = $5
		WHERE id = $1`, b.ID, string(pay), b.PricePoints, b.PriceAmount, cardID)
	return err
}

// refundTx gives a cancelled booking's charge back to the card it was paid from, by a
// reversing posting keyed by the booking id (so at most once). Points come back as a
// new lot available now and expiring in a year.
func (s *Service) refundTx(ctx context.Context, tx pgx.Tx, bookingID uuid.UUID) error {
	var (
		paidWith *string
		points   int
		amount   decimal.Decimal
		cardID   *uuid.UUID
	)
	tag, err := tx.Exec(ctx, `UPDATE bookings SET refunded = true WHERE id = $1 AND paid_with IS NOT NULL AND NOT refunded`, bookingID)
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT paid_with, paid_points, paid_amount, pay_card_id FROM bookings WHERE id = $1`,
		bookingID).Scan(&paidWith, &points, &amount, &cardID); err != nil {
		return err
	}
	if paidWith == nil || cardID == nil || s.ledger == nil {
		return fmt.Errorf("bookings: cannot refund booking %s", bookingID)
	}
	group, err := s.ledger.LockCardsTx(ctx, tx, *cardID)
	if err != nil {
		return err
	}
	key := "bookings.refund:" + bookingID.String()
	if Payment(*paidWith) == PayPoints {
		now := s.now()
		_, err = s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: group, CardID: *cardID, Points: decimal.NewFromInt(int64(points)),
			From: ledger.System(ledger.KindRedeemed, ledger.Points), AvailableAt: now, ExpiresAt: now.AddDate(1, 0, 0),
			Kind: "booking_refund", Key: key})
		return err
	}
	_, err = s.ledger.PostTx(ctx, tx, ledger.Posting{GroupID: group, Kind: "booking_refund", Key: key,
		Legs: []ledger.Leg{{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: amount.Neg()},
			{Account: ledger.Card(*cardID, ledger.CNY), Amount: amount}}})
	return err
}
