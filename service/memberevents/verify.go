package memberevents

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberevents/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Verify checks, in one repeatable-read snapshot, that every event's event_deposit
// balance in the ledger equals the deposits its sign-ups still hold (for `atrium ledger
// verify`), and returns the breaches.
func Verify(ctx context.Context, db *storage.DB) ([]ledger.Breach, error) {
	var out []ledger.Breach
	err := pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			rows, err := queries.New(tx).HeldDeposits(ctx)
			if err != nil {
				return err
			}
			balances, err := ledger.DerivedBalancesTx(ctx, tx, KindEventDeposit, ledger.Points)
			if err != nil {
				return err
			}
			for _, d := range depositGaps(rows, balances) {
				out = append(out, ledger.Breach{Check: "event deposits held equal the event_deposit balance", Detail: d})
			}
			return nil
		})
	return out, err
}

// depositGaps compares the deposits held per event with the ledger's balances.
func depositGaps(held []queries.HeldDepositsRow, balances []ledger.OwnerBalance) []string {
	want := map[uuid.UUID]decimal.Decimal{}
	for _, h := range held {
		want[h.EventID] = decimal.NewFromInt(h.Held)
	}
	got := map[uuid.UUID]decimal.Decimal{}
	for _, b := range balances {
		got[b.Owner] = b.Balance
	}
	var out []string
	for id, w := range want {
		if g := got[id]; !g.Equal(w) {
			out = append(out, fmt.Sprintf("event %s holds %s points of deposits, its account %s", id, w, g))
		}
	}
	for id, g := range got {
		if _, ok := want[id]; !ok && !g.IsZero() {
			out = append(out, fmt.Sprintf("event %s holds no deposits, its account %s", id, g))
		}
	}
	return out
}
