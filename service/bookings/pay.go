package bookings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/bookings/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
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

// payingCard returns the member's card to pay need of asset from (ledger.MemberCardTx)
// and its group, locked for the ledger.
func (s *Service) payingCard(ctx context.Context, tx pgx.Tx, member uuid.UUID, asset ledger.Asset, need decimal.Decimal) (uuid.UUID, uuid.UUID, error) {
	card, group, err := s.ledger.MemberCardTx(ctx, tx, member, asset, need)
	if errors.Is(err, ledger.ErrCardNotFound) {
		return card, group, ErrNoCard
	}
	return card, group, err
}

// usable reports whether card may be spent from or refunded to now (members' one rule,
// Card.Usable), locking it FOR SHARE so its status holds until tx ends.
func (s *Service) usable(ctx context.Context, tx pgx.Tx, card uuid.UUID) (bool, error) {
	c, err := members.CardForShare(ctx, tx, card)
	if err != nil {
		return false, fmt.Errorf("bookings: read card %s: %w", card, err)
	}
	return c.Usable(s.now()) == nil, nil
}

// chargeTx takes the booking's price from the member's primary card with the posting
// key key (unique, so a repeat can never charge twice) and records it on the booking.
func (s *Service) chargeTx(ctx context.Context, tx pgx.Tx, b *Booking, pay Payment, points int, amount decimal.Decimal, key string) error {
	if points <= 0 && !amount.IsPositive() {
		return nil
	}
	if err := accepts(pay, points, amount); err != nil {
		return err
	}
	asset, need := ledger.CNY, amount
	if pay == PayPoints {
		asset, need = ledger.Points, decimal.NewFromInt(int64(points))
	}
	cardID, group, err := s.payingCard(ctx, tx, b.MemberID, asset, need)
	if err != nil {
		return err
	}
	if ok, err := s.usable(ctx, tx, cardID); err != nil {
		return err
	} else if !ok {
		return ErrNoCard.Msgf("the card to pay with cannot be used")
	}
	pieces, err := s.postCharge(ctx, tx, b, pay, ledger.Posting{GroupID: group, Kind: "booking", Key: key}, cardID, need)
	if errors.Is(err, ledger.ErrInsufficient) || errors.Is(err, ledger.ErrInsufficientPoint) {
		return ErrInsufficientBalance
	}
	if err != nil {
		return err
	}
	b.PaidWith = pay
	return s.recordCharge(ctx, tx, b, cardID, pieces)
}

// accepts checks that a resource priced points and amount can be paid with pay.
func accepts(pay Payment, points int, amount decimal.Decimal) error {
	switch {
	case pay == "":
		return ErrPaymentRequired
	case pay == PayPoints && points <= 0, pay == PayStoredValue && !amount.IsPositive():
		return ErrPaymentNotAccepted
	case pay != PayPoints && pay != PayStoredValue:
		return ErrPaymentNotAccepted
	}
	return nil
}

// postCharge posts need (points or CNY, by pay) from card under p's group, kind and
// key, noting the price on b; a points charge returns the lots it took.
func (s *Service) postCharge(ctx context.Context, tx pgx.Tx, b *Booking, pay Payment, p ledger.Posting, card uuid.UUID, need decimal.Decimal) ([]ledger.Piece, error) {
	if pay == PayPoints {
		p.Legs = []ledger.Leg{{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: need}}
		_, pieces, err := s.ledger.SpendTx(ctx, tx, p, card, need)
		b.PricePoints = int(need.IntPart())
		return pieces, err
	}
	p.Legs = []ledger.Leg{{Account: ledger.Card(card, ledger.CNY), Amount: need.Neg()},
		{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: need}}
	_, err := s.ledger.PostTx(ctx, tx, p)
	b.PriceAmount = need
	return nil, err
}

// recordCharge records on the booking what it was paid with, from which card, and the
// points lots it took (pieces; none for stored value).
func (s *Service) recordCharge(ctx context.Context, tx pgx.Tx, b *Booking, card uuid.UUID, pieces []ledger.Piece) error {
	var lots json.RawMessage
	if pieces != nil {
		var err error
		if lots, err = json.Marshal(pieces); err != nil {
			return fmt.Errorf("bookings: encode paid lots: %w", err)
		}
	}
	paid := string(b.PaidWith)
	return queries.New(tx).SetBookingPaid(ctx, queries.SetBookingPaidParams{ID: b.ID, PaidWith: &paid,
		PaidPoints: int32(b.PricePoints), PaidAmount: b.PriceAmount, PayCardID: &card, PaidPieces: lots})
}

// refundTx gives a cancelled booking's charge back to the card that holds the value of
// the card it was paid from (the same card, or the one it was reissued as; if that card
// is no longer active, the member's card for the asset — see refundCard), by a
// reversing posting keyed by the booking id (so at most once). Points come back as the
// lots they were taken from, with their original expiry; bookings charged before the
// lots were recorded get a fresh lot that expires in a year.
func (s *Service) refundTx(ctx context.Context, tx pgx.Tx, bookingID uuid.UUID) error {
	q := queries.New(tx)
	n, err := q.MarkRefunded(ctx, bookingID)
	if err != nil || n == 0 {
		return err
	}
	c, err := loadCharge(ctx, q, bookingID)
	if err != nil {
		return err
	}
	card, group, err := s.refundCard(ctx, tx, c.member, c.card, c.with)
	if err != nil {
		return err
	}
	return s.postRefund(ctx, tx, c, ledger.Posting{GroupID: group, Kind: "booking_refund",
		Key: "bookings.refund:" + bookingID.String()}, card)
}

// charge is what a booking was paid: with what, how much, from which card, and the
// points lots it took.
type charge struct {
	member, card   uuid.UUID
	with           Payment
	points, amount decimal.Decimal
	pieces         []ledger.Piece
}

// loadCharge reads the charge of a paid booking.
func loadCharge(ctx context.Context, q *queries.Queries, bookingID uuid.UUID) (charge, error) {
	r, err := q.BookingCharge(ctx, bookingID)
	if err != nil {
		return charge{}, err
	}
	if r.PaidWith == nil || r.PayCardID == nil {
		return charge{}, fmt.Errorf("bookings: cannot refund booking %s", bookingID)
	}
	c := charge{member: r.MemberID, card: *r.PayCardID, with: Payment(*r.PaidWith),
		points: decimal.NewFromInt(int64(r.PaidPoints)), amount: r.PaidAmount}
	if r.PaidPieces != nil {
		if err := json.Unmarshal(r.PaidPieces, &c.pieces); err != nil {
			return c, fmt.Errorf("bookings: decode paid lots of %s: %w", bookingID, err)
		}
	}
	return c, nil
}

// postRefund posts the reverse of charge c to card, under p's group, kind and key.
func (s *Service) postRefund(ctx context.Context, tx pgx.Tx, c charge, p ledger.Posting, card uuid.UUID) error {
	var err error
	switch {
	case c.with == PayPoints && len(c.pieces) > 0:
		p.Legs = []ledger.Leg{{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: c.points.Neg()}}
		_, err = s.ledger.RestoreTx(ctx, tx, p, card, c.pieces)
	case c.with == PayPoints:
		now := s.now()
		_, err = s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: p.GroupID, CardID: card, Points: c.points,
			From: ledger.System(ledger.KindRedeemed, ledger.Points), AvailableAt: now, ExpiresAt: now.AddDate(1, 0, 0),
			Kind: p.Kind, Key: p.Key})
	default:
		p.Legs = []ledger.Leg{{Account: ledger.System(ledger.KindFunding, ledger.CNY), Amount: c.amount.Neg()},
			{Account: ledger.Card(card, ledger.CNY), Amount: c.amount}}
		_, err = s.ledger.PostTx(ctx, tx, p)
	}
	return err
}

// refundCard is where a refund of a booking paid from card goes, locked: the card that
// holds card's value now (following reissues), or, when that card is no longer usable
// (cancelled, lost, frozen, expired: members.Card.Usable), the member's card for the
// asset (ledger.MemberCardTx).
func (s *Service) refundCard(ctx context.Context, tx pgx.Tx, member, card uuid.UUID, pay Payment) (uuid.UUID, uuid.UUID, error) {
	current, err := ledger.CurrentCardTx(ctx, tx, card)
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	ok, err := s.usable(ctx, tx, current)
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	if !ok {
		asset := ledger.CNY
		if pay == PayPoints {
			asset = ledger.Points
		}
		return s.payingCard(ctx, tx, member, asset, decimal.Zero)
	}
	group, err := s.ledger.LockCardsTx(ctx, tx, current)
	return current, group, err
}
