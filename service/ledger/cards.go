package ledger

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
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
	rows, err := s.db.Pool.Query(ctx, `SELECT kind, asset, balance FROM ledger_accounts WHERE owner_id = $1 AND cached`, cardID)
	if err != nil {
		return b, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, asset string
		var bal decimal.Decimal
		if err := rows.Scan(&kind, &asset, &bal); err != nil {
			return b, err
		}
		switch {
		case kind == KindCardPending:
			b.PendingPoints = bal
		case asset == string(Points):
			b.Points = bal
		case asset == string(CNY):
			b.StoredValue = bal
		case asset == string(Uses):
			b.Uses = bal
		}
	}
	return b, rows.Err()
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
	posted, err := s.PostTx(ctx, tx, Posting{GroupID: groupID, Kind: "move", Key: "move:" + key, Legs: legs})
	if err != nil {
		return err
	}
	for _, status := range []string{"available", "pending"} {
		if err := moveLots(ctx, tx, posted, from, to, status, s.now()); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `UPDATE ledger_lots SET status = 'moved' WHERE card_id = $1 AND remaining = 0
		AND status IN ('available', 'pending')`, from)
	return err
}

func moveLots(ctx context.Context, tx pgx.Tx, posted Posted, from, to uuid.UUID, status string, now time.Time) error {
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
	_, err = s.PostTx(ctx, tx, Posting{GroupID: groupID, Kind: "card_refund", Key: "cardrefund:" + key,
		Legs: []Leg{{Account: Card(card, CNY), Amount: bal.Neg()}, {Account: System(KindOutside, CNY), Amount: bal}}})
	return bal, err
}

// postingExists reports whether a posting with key was made; when it was made for
// other cards than cards, the key was reused: IDEMPOTENCY_KEY_REUSED.
func postingExists(ctx context.Context, tx pgx.Tx, key string, cards ...uuid.UUID) (bool, error) {
	var exists, same bool
	err := tx.QueryRow(ctx, `SELECT count(*) > 0, coalesce(bool_and(a.owner_id = ANY($2)), false)
		FROM ledger_postings p JOIN ledger_entries e ON e.posting_id = p.id
		JOIN ledger_accounts a ON a.id = e.account_id AND a.cached
		WHERE p.key = $1`, key, cards).Scan(&exists, &same)
	if err == nil && exists && !same {
		return true, errs.ErrIdempotencyKey
	}
	return exists, err
}

// refunded is what the card refund posting with key paid out (zero when none).
func refunded(ctx context.Context, tx pgx.Tx, key string) (decimal.Decimal, error) {
	var amount decimal.Decimal
	err := tx.QueryRow(ctx, `SELECT coalesce(sum(e.amount), 0) FROM ledger_entries e
		JOIN ledger_postings p ON p.id = e.posting_id WHERE p.key = $1 AND e.amount > 0`, key).Scan(&amount)
	return amount, err
}
