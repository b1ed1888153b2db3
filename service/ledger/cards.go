package ledger

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
)

// Balances are a card's balances.
type Balances struct {
	Points        decimal.Decimal `json:"points"`
	PendingPoints decimal.Decimal `json:"pendingPoints"`
	StoredValue   decimal.Decimal `json:"storedValue"`
	Uses          decimal.Decimal `json:"uses"`
}

// CardBalances returns a card's balances (zero for a card that never moved value).
func (s *Service) CardBalances(ctx context.Context, cardID uuid.UUID) (Balances, error) {
	var b Balances
	rows, err := queries.New(s.db.Pool).CardBalances(ctx, cardID)
	if err != nil {
		return b, err
	}
	for _, r := range rows {
		switch {
		case r.Kind == KindCardPending:
			b.PendingPoints = r.Balance
		case r.Asset == string(Points):
			b.Points = r.Balance
		case r.Asset == string(CNY):
			b.StoredValue = r.Balance
		case r.Asset == string(Uses):
			b.Uses = r.Balance
		}
	}
	return b, nil
}

// MoveCardTx moves every balance and points lot of card from to card to (reissue),
// inside the caller's transaction: stored value, count uses, available and pending
// points, and a points debt; every lot moves with its original expiry (and pending
// lots with their original availability). A repeat with the same key is a no-op.
func (s *Service) MoveCardTx(ctx context.Context, tx pgx.Tx, from, to uuid.UUID, key string) error {
	groupID, err := s.LockCardsTx(ctx, tx, from, to)
	if err != nil {
		return err
	}
	if done, err := postingExists(ctx, tx, "move:"+key, from, to); err != nil || done {
		return err
	}
	var legs []Leg
	for _, a := range cardAccounts(from) {
		bal, err := balanceOf(ctx, tx, groupID, a)
		if err != nil {
			return err
		}
		dest := Account{Kind: a.Kind, Owner: to, Asset: a.Asset}
		legs = append(legs, Leg{Account: a, Amount: bal.Neg(), AllowNegative: true},
			Leg{Account: dest, Amount: bal, AllowNegative: true})
	}
	if legs = mergeLegs(legs); len(legs) == 0 {
		return nil
	}
	posted, err := s.PostTx(ctx, tx, Posting{GroupID: groupID, Kind: PostingMove, Key: "move:" + key, Legs: legs})
	if err != nil {
		return err
	}
	for _, status := range []LotStatus{LotAvailable, LotPending} {
		if err := moveLots(ctx, tx, posted, from, to, status, s.now()); err != nil {
			return err
		}
	}
	return closeMovedLots(ctx, tx, from)
}

// closeMovedLots marks the lots a move emptied (available and pending, now at zero)
// as moved, as lotMachine says.
func closeMovedLots(ctx context.Context, tx pgx.Tx, card uuid.UUID) error {
	moved, err := lotMachine.Next(LotMove, LotAvailable)
	if err != nil {
		return err
	}
	return queries.New(tx).CloseEmptyLots(ctx, queries.CloseEmptyLotsParams{Status: string(moved), CardID: card,
		FromStatuses: lotMachine.From(LotMove)})
}

func moveLots(ctx context.Context, tx pgx.Tx, posted Posted, from, to uuid.UUID, status LotStatus, now time.Time) error {
	pieces, err := takeLots(ctx, tx, posted.ID, from, status, decimal.New(1, 15), uuid.Nil)
	if err != nil || len(pieces) == 0 {
		return err
	}
	_, err = creditPieces(ctx, tx, posted, to, status, pieces, now)
	return err
}

// RefundCardTx pays the card's stored value out to the outside world (cancel with
// refund) inside the caller's transaction and returns the amount. Points and count
// uses are not money and stay on the cancelled card (move them first with MoveCardTx
// to keep them). A repeat with the same key refunds nothing more.
func (s *Service) RefundCardTx(ctx context.Context, tx pgx.Tx, card uuid.UUID, key string) (decimal.Decimal, error) {
	groupID, err := s.LockCardsTx(ctx, tx, card)
	if err != nil {
		return decimal.Zero, err
	}
	if done, err := postingExists(ctx, tx, "cardrefund:"+key, card); err != nil {
		return decimal.Zero, err
	} else if done {
		return refunded(ctx, tx, "cardrefund:"+key)
	}
	bal, err := balanceOf(ctx, tx, groupID, Card(card, CNY))
	if err != nil || !bal.IsPositive() {
		return decimal.Zero, err
	}
	_, err = s.PostTx(ctx, tx, Posting{GroupID: groupID, Kind: PostingCardRefund, Key: "cardrefund:" + key,
		Legs: []Leg{{Account: Card(card, CNY), Amount: bal.Neg()}, {Account: System(KindOutside, CNY), Amount: bal}}})
	return bal, err
}

// postingExists reports whether a posting with key was made; when it was made for
// other cards than cards, the key was reused: IDEMPOTENCY_KEY_REUSED.
func postingExists(ctx context.Context, tx pgx.Tx, key string, cards ...uuid.UUID) (bool, error) {
	row, err := queries.New(tx).PostingExists(ctx, cards, key)
	if err == nil && row.Found && !row.SameCards {
		return true, errs.ErrIdempotencyKey
	}
	return row.Found, err
}

// refunded is what the card refund posting with key paid out (zero when none).
func refunded(ctx context.Context, tx pgx.Tx, key string) (decimal.Decimal, error) {
	return queries.New(tx).PostingCredits(ctx, key)
}

// CardsBalanceTx returns the balance of asset on each of cards (zero for a card that
// never held it), read through the caller's transaction: lock the cards first
// (LockCardsTx) when the answer decides a change.
func CardsBalanceTx(ctx context.Context, tx pgx.Tx, asset Asset, cards ...uuid.UUID) (map[uuid.UUID]decimal.Decimal, error) {
	out := make(map[uuid.UUID]decimal.Decimal, len(cards))
	for _, c := range cards {
		out[c] = decimal.Zero
	}
	rows, err := queries.New(tx).CardsBalance(ctx, string(asset), cards)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.OwnerID] = r.Balance
	}
	return out, nil
}
