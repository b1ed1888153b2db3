package ledger

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Lot is a batch of points with an expiry.
type Lot struct {
	ID          uuid.UUID       `json:"id"`
	CardID      uuid.UUID       `json:"cardId"`
	Status      LotStatus       `json:"status"`
	Amount      decimal.Decimal `json:"amount"`
	Remaining   decimal.Decimal `json:"remaining"`
	AvailableAt time.Time       `json:"availableAt"`
	ExpiresAt   time.Time       `json:"expiresAt"`
}

// Piece is a part of a lot taken by a spend, a move or a claw-back.
type Piece struct {
	LotID       uuid.UUID       `json:"lotId"`
	Amount      decimal.Decimal `json:"amount"`
	AvailableAt time.Time       `json:"availableAt"`
	ExpiresAt   time.Time       `json:"expiresAt"`
}

// lotRow is the shape of the lot queries that list pieces (LotsToTake, ReleaseDueLots,
// ExpiryDueLots): a lot's id, its remaining points and its dates.
type lotRow = struct {
	ID          uuid.UUID
	Remaining   decimal.Decimal
	AvailableAt time.Time
	ExpiresAt   time.Time
}

// piecesOf turns lot rows into pieces holding each lot's remaining points.
func piecesOf[R ~lotRow](rows []R, err error) ([]Piece, error) {
	if err != nil {
		return nil, err
	}
	out := make([]Piece, len(rows))
	for i, r := range rows {
		l := lotRow(r)
		out[i] = Piece{LotID: l.ID, Amount: l.Remaining, AvailableAt: l.AvailableAt, ExpiresAt: l.ExpiresAt}
	}
	return out, nil
}

// queueLot queues in b a new lot of amount on the card with remaining points (less
// than amount when part of it paid off a points debt) and its moves; it returns the
// lot's id.
func queueLot(ctx context.Context, b *storage.Batch, postingID uuid.UUID, card uuid.UUID, status LotStatus,
	amount, remaining decimal.Decimal, availableAt, expiresAt, now time.Time) uuid.UUID {
	id := service.NewID()
	queueLotID(ctx, b, id, postingID, card, status, amount, remaining, availableAt, expiresAt, now)
	return id
}

// queueLotID is queueLot for a lot whose id is chosen (id).
func queueLotID(ctx context.Context, b *storage.Batch, id, postingID uuid.UUID, card uuid.UUID, status LotStatus,
	amount, remaining decimal.Decimal, availableAt, expiresAt, now time.Time) {
	b.Queue(func(q storage.Querier) {
		_ = queries.New(q).InsertLot(ctx, queries.InsertLotParams{ID: id, CardID: card, Status: string(status),
			Amount: amount, Remaining: remaining, AvailableAt: availableAt, ExpiresAt: expiresAt, PostingID: postingID,
			CreatedAt: now})
	})
	queueLotMove(ctx, b, id, postingID, amount)
	if settled := amount.Sub(remaining); settled.IsPositive() {
		queueLotMove(ctx, b, id, postingID, settled.Neg())
	}
}

func queueLotMove(ctx context.Context, b *storage.Batch, lotID, postingID uuid.UUID, amount decimal.Decimal) {
	b.Queue(func(q storage.Querier) {
		_ = queries.New(q).InsertLotMove(ctx, queries.InsertLotMoveParams{LotID: lotID, PostingID: postingID, Amount: amount})
	})
}

func lotMove(ctx context.Context, tx pgx.Tx, lotID, postingID uuid.UUID, amount decimal.Decimal) error {
	return queries.New(tx).InsertLotMove(ctx, queries.InsertLotMoveParams{LotID: lotID, PostingID: postingID, Amount: amount})
}

// takeLots consumes up to amount from the card's lots of status, the first lot (when
// given) first and then the earliest-expiring, and returns the pieces taken. Lock the
// card first (LockCardsTx).
func takeLots(ctx context.Context, tx pgx.Tx, postingID, card uuid.UUID, status LotStatus, amount decimal.Decimal,
	first uuid.UUID) ([]Piece, error) {
	lots, err := piecesOf(queries.New(tx).LotsToTake(ctx, queries.LotsToTakeParams{CardID: card,
		Status: string(status), First: first}))
	if err != nil {
		return nil, err
	}
	var taken []Piece
	for _, l := range lots {
		if !amount.IsPositive() {
			break
		}
		take := decimal.Min(amount, l.Amount)
		if err := takeFrom(ctx, tx, postingID, l.LotID, take); err != nil {
			return nil, err
		}
		amount = amount.Sub(take)
		l.Amount = take
		taken = append(taken, l)
	}
	return taken, nil
}

func takeFrom(ctx context.Context, tx pgx.Tx, postingID, lotID uuid.UUID, take decimal.Decimal) error {
	if err := queries.New(tx).TakeFromLot(ctx, take, lotID); err != nil {
		return err
	}
	return lotMove(ctx, tx, lotID, postingID, take.Neg())
}

// setLotStatus makes event happen to a lot that is from (lotMachine says where it
// leaves it). Lock the card first.
func setLotStatus(ctx context.Context, tx pgx.Tx, lotID uuid.UUID, event LotEvent, from LotStatus) error {
	to, err := lotMachine.Next(event, from)
	if err != nil {
		return err
	}
	return queries.New(tx).SetLotStatus(ctx, string(to), lotID)
}

// Lots lists the card's lots with points left, earliest expiry first.
func (s *Service) Lots(ctx context.Context, cardID uuid.UUID) ([]Lot, error) {
	rows, err := queries.New(s.db.Pool).CardLots(ctx, cardID)
	if err != nil {
		return nil, err
	}
	out := make([]Lot, len(rows))
	for i, r := range rows {
		out[i] = Lot{ID: r.ID, CardID: r.CardID, Status: LotStatus(r.Status), Amount: r.Amount, Remaining: r.Remaining,
			AvailableAt: r.AvailableAt, ExpiresAt: r.ExpiresAt}
	}
	return out, nil
}
