package ledger

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Breach is one broken ledger invariant.
type Breach struct {
	Check  string // which invariant
	Detail string // what breaks it
}

// String shows the check and the detail.
func (b Breach) String() string { return b.Check + ": " + b.Detail }

// checks are the ledger's invariants; each query lists its breaches as text.
var checks = []struct{ name, query string }{
	{"posting balances per asset", `SELECT posting_id::text || ' ' || asset || ' sums to ' || sum(amount)
		FROM ledger_entries GROUP BY posting_id, asset HAVING sum(amount) <> 0`},
	{"posting has two entries", `SELECT p.id::text || ' has ' || count(e.id) || ' entries'
		FROM ledger_postings p LEFT JOIN ledger_entries e ON e.posting_id = p.id
		GROUP BY p.id HAVING count(e.id) < 2`},
	{"entry asset matches account", `SELECT e.id::text FROM ledger_entries e
		JOIN ledger_accounts a ON a.id = e.account_id WHERE a.asset <> e.asset`},
	{"balance equals sum of entries", `SELECT a.id::text || ' ' || a.kind || '/' || a.asset || ' balance ' || a.balance ||
		' entries ' || coalesce(sum(e.amount), 0)
		FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
		WHERE a.cached GROUP BY a.id HAVING a.balance <> coalesce(sum(e.amount), 0)`},
	{"no negative balance (points debt excepted)", `SELECT id::text || ' ' || kind || '/' || asset || ' = ' || balance
		FROM ledger_accounts WHERE cached AND balance < 0 AND NOT (kind = 'card' AND asset = 'points')`},
	{"lot remaining equals its moves", `SELECT l.id::text || ' remaining ' || l.remaining || ' moves ' || coalesce(sum(m.amount), 0)
		FROM ledger_lots l LEFT JOIN ledger_lot_moves m ON m.lot_id = l.id
		GROUP BY l.id HAVING l.remaining <> coalesce(sum(m.amount), 0)`},
	{"available lots equal the points balance", `SELECT a.owner_id::text || ' balance ' || a.balance || ' lots ' || coalesce(sum(l.remaining), 0)
		FROM ledger_accounts a LEFT JOIN ledger_lots l ON l.card_id = a.owner_id AND l.status = 'available'
		WHERE a.kind = 'card' AND a.asset = 'points'
		GROUP BY a.id HAVING greatest(a.balance, 0) <> coalesce(sum(l.remaining), 0)`},
	{"pending lots equal the pending balance", `SELECT a.owner_id::text || ' balance ' || a.balance || ' lots ' || coalesce(sum(l.remaining), 0)
		FROM ledger_accounts a LEFT JOIN ledger_lots l ON l.card_id = a.owner_id AND l.status = 'pending'
		WHERE a.kind = 'card_pending'
		GROUP BY a.id HAVING a.balance <> coalesce(sum(l.remaining), 0)`},
	{"closed lots are empty", `SELECT id::text || ' ' || status || ' remaining ' || remaining
		FROM ledger_lots WHERE status IN ('expired', 'moved') AND remaining <> 0`},
}

// Verify checks every ledger invariant in one repeatable-read snapshot and returns
// the breaches (none when the ledger is sound): each posting balances per asset and
// has two entries; each cached balance equals the sum of its entries; no cached
// balance is negative except a card's points debt; each lot's remaining equals its
// moves; lots reconcile with the available and pending points balances.
func (s *Service) Verify(ctx context.Context) ([]Breach, error) {
	var out []Breach
	err := pgx.BeginTxFunc(ctx, s.db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			for _, c := range checks {
				rows, err := tx.Query(ctx, c.query)
				if err != nil {
					return fmt.Errorf("%s: %w", c.name, err)
				}
				details, err := pgx.CollectRows(rows, pgx.RowTo[string])
				if err != nil {
					return fmt.Errorf("%s: %w", c.name, err)
				}
				for _, d := range details {
					out = append(out, Breach{Check: c.name, Detail: d})
				}
			}
			return nil
		})
	return out, err
}
