package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/storage"
)

// Earn is an award of points to a card.
type Earn struct {
	GroupID     uuid.UUID
	CardID      uuid.UUID
	Points      decimal.Decimal
	From        Account // usually System(KindIssuance, Points)
	AvailableAt time.Time
	ExpiresAt   time.Time
	Kind        PostingKind
	Key         string
	Memo        string
}

// Earned is the result of EarnTx.
type Earned struct {
	PostingID uuid.UUID `json:"postingId"`
	LotID     uuid.UUID `json:"lotId"`
	Pending   bool      `json:"pending"`
}

// EarnTx posts an award of points as a new lot: pending (in the card's pending
// account) until AvailableAt when that is in the future, available otherwise. An
// available award pays off a points debt first. Lock the card first.
func (s *Service) EarnTx(ctx context.Context, tx pgx.Tx, e Earn) (Earned, error) {
	var b storage.Batch
	q, err := s.QueueEarnTx(ctx, &b, e)
	if err != nil {
		return Earned{}, err
	}
	if err := sendPosting(ctx, tx, &b, e.Key); err != nil {
		return Earned{}, err
	}
	return q.Finish(ctx, tx)
}

// QueuedEarn is an award of points queued in a caller's batch (QueueEarnTx).
type QueuedEarn struct {
	posting *QueuedPosting
	e       Earn
	lot     uuid.UUID
	pending bool
	now     time.Time
}

// QueueEarnTx is EarnTx queued in the caller's batch b, its lot too: send b, then call
// Finish. An available award that pays off a points debt (the posting's new balance
// tells) has its lot's remaining points cut by Finish. The lot's id is known at once
// (LotID). Lock the card first.
func (s *Service) QueueEarnTx(ctx context.Context, b *storage.Batch, e Earn) (*QueuedEarn, error) {
	q := &QueuedEarn{e: e, lot: service.NewID(), now: s.now()}
	q.pending = e.AvailableAt.After(q.now)
	to, status := Card(e.CardID, Points), LotAvailable
	if q.pending {
		to, status = CardPending(e.CardID), LotPending
	}
	var err error
	q.posting, err = s.QueuePostTx(ctx, b, Posting{GroupID: e.GroupID, Kind: e.Kind, Key: e.Key, Memo: e.Memo,
		Legs: []Leg{{Account: e.From, Amount: e.Points.Neg()}, {Account: to, Amount: e.Points}}})
	if err != nil {
		return nil, err
	}
	queueLotID(ctx, b, q.lot, q.posting.ID(), e.CardID, status, e.Points, e.Points, e.AvailableAt, e.ExpiresAt, q.now)
	return q, nil
}

// LotID is the id of the award's lot.
func (q *QueuedEarn) LotID() uuid.UUID { return q.lot }

// Finish completes the award once its batch was sent without error: the points of an
// available award that pay off the card's points debt (its balance before was
// negative) are taken from its lot, as creditPieces leaves them.
func (q *QueuedEarn) Finish(ctx context.Context, tx pgx.Tx) (Earned, error) {
	posted, err := q.posting.Finish(ctx, tx)
	if err != nil {
		return Earned{}, err
	}
	out := Earned{PostingID: posted.ID, LotID: q.lot, Pending: q.pending}
	if q.pending {
		return out, nil
	}
	debt := decimal.Max(decimal.Zero, posted.Balances[Card(q.e.CardID, Points)].Sub(q.e.Points).Neg())
	if settle := decimal.Min(debt, q.e.Points); settle.IsPositive() {
		return out, takeFrom(ctx, tx, posted.ID, q.lot, settle)
	}
	return out, nil
}

// creditPieces creates lots on card for pieces just credited by posted; points that
// pay off a debt of the card's points account leave their lot's remaining short. All
// the lots and their moves go in one batch.
func creditPieces(ctx context.Context, tx pgx.Tx, posted Posted, card uuid.UUID, status LotStatus, pieces []Piece,
	now time.Time) ([]uuid.UUID, error) {
	debt := decimal.Zero
	if status == LotAvailable {
		total := decimal.Zero
		for _, p := range pieces {
			total = total.Add(p.Amount)
		}
		before := posted.Balances[Card(card, Points)].Sub(total)
		debt = decimal.Max(decimal.Zero, before.Neg())
	}
	var b storage.Batch
	ids := make([]uuid.UUID, len(pieces))
	for i, p := range pieces {
		settle := decimal.Min(debt, p.Amount)
		debt = debt.Sub(settle)
		ids[i] = queueLot(ctx, &b, posted.ID, card, status, p.Amount, p.Amount.Sub(settle), p.AvailableAt, p.ExpiresAt, now)
	}
	if err := b.Send(ctx, tx); err != nil {
		return nil, fmt.Errorf("new lots: %w", err)
	}
	return ids, nil
}

// SpendTx records p with an extra leg taking points from the card's available points
// (ErrInsufficientPoint when short) and consumes its lots, earliest expiry first. p's
// other legs must balance that leg. It returns the posting and the pieces taken.
func (s *Service) SpendTx(ctx context.Context, tx pgx.Tx, p Posting, card uuid.UUID, points decimal.Decimal) (Posted, []Piece, error) {
	if points.IsPositive() {
		p.Legs = append(p.Legs, Leg{Account: Card(card, Points), Amount: points.Neg()})
	}
	posted, err := s.PostTx(ctx, tx, p)
	if err != nil || !points.IsPositive() {
		return posted, nil, err
	}
	pieces, err := takeLots(ctx, tx, posted.ID, card, LotAvailable, points, uuid.Nil)
	if err != nil {
		return posted, nil, err
	}
	if sum := sumPieces(pieces); !sum.Equal(points) {
		return posted, nil, fmt.Errorf("ledger: card %s lots hold %s points, balance allowed %s", card, sum, points)
	}
	return posted, pieces, nil
}

// RestoreTx records p with an extra leg giving pieces (from an earlier SpendTx) back to
// the card as lots with their original expiry, e.g. when a purchase paid with points
// is refunded. p's other legs must balance it.
func (s *Service) RestoreTx(ctx context.Context, tx pgx.Tx, p Posting, card uuid.UUID, pieces []Piece) (Posted, error) {
	total := sumPieces(pieces)
	if total.IsPositive() {
		p.Legs = append(p.Legs, Leg{Account: Card(card, Points), Amount: total})
	}
	posted, err := s.PostTx(ctx, tx, p)
	if err != nil || !total.IsPositive() {
		return posted, err
	}
	_, err = creditPieces(ctx, tx, posted, card, LotAvailable, pieces, s.now())
	return posted, err
}

func sumPieces(pieces []Piece) decimal.Decimal {
	sum := decimal.Zero
	for _, p := range pieces {
		sum = sum.Add(p.Amount)
	}
	return sum
}
