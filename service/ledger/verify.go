package ledger

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
)

// Breach is one broken ledger invariant.
type Breach struct {
	Check  string // which invariant
	Detail string // what breaks it
}

// String shows the check and the detail.
func (b Breach) String() string { return b.Check + ": " + b.Detail }

// checks are the ledger's invariants; each query (queries/verify.sql) lists its
// breaches as text.
var checks = []struct {
	name  string
	query func(*queries.Queries, context.Context) ([]string, error)
}{
	{"posting balances per asset", (*queries.Queries).UnbalancedPostings},
	{"posting has two entries", (*queries.Queries).PostingsUnderTwoEntries},
	{"entry asset matches account", (*queries.Queries).EntryAssetMismatches},
	{"balance equals sum of entries", (*queries.Queries).BalancesOffEntries},
	{"no negative balance (points debt excepted)", (*queries.Queries).NegativeBalances},
	{"lot remaining equals its moves", (*queries.Queries).LotsOffMoves},
	{"available lots equal the points balance", (*queries.Queries).AvailableLotsOffBalance},
	{"pending lots equal the pending balance", (*queries.Queries).PendingLotsOffBalance},
	{"closed lots are empty", (*queries.Queries).ClosedLotsNotEmpty},
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
			q := queries.New(tx)
			for _, c := range checks {
				details, err := c.query(q, ctx)
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
