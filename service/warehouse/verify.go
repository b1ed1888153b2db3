package warehouse

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/warehouse/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Verify checks the stock ledger against the balances, in one repeatable-read snapshot
// (`atrium ledger verify` runs it beside the ledger's own checks): each balance equals
// the sum of its movements, in quantity and value, and the running balance of its last
// movement; its movement count is its last sequence number; each movement's running
// balance is the previous one plus the movement. Negative stock cannot be stored (the
// tables' CHECKs), so it needs no check here.
func Verify(ctx context.Context, db *storage.DB) ([]ledger.Breach, error) {
	var out []ledger.Breach
	err := pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			q := queries.New(tx)
			off, err := q.StockOffLedger(ctx)
			if err != nil {
				return err
			}
			for _, r := range off {
				out = append(out, ledger.Breach{Check: "gift stock equals its movements", Detail: fmt.Sprintf(
					"warehouse %s item %s: balance %d (%d fen, %d moves); movements sum %d (%d fen) over %d, last seq %d, last running balance %d (%d fen)",
					r.WarehouseID, r.ItemID, r.Quantity, r.ValueFen, r.Moves, r.MovedQty, r.MovedFen, r.N, r.LastSeq,
					r.LastBalance, r.LastBalanceFen)})
			}
			chain, err := q.MovementsOffChain(ctx)
			for _, r := range chain {
				out = append(out, ledger.Breach{Check: "gift stock running balances chain", Detail: fmt.Sprintf(
					"movement %s (warehouse %s item %s seq %d)", r.ID, r.WarehouseID, r.ItemID, r.Seq)})
			}
			return err
		})
	return out, err
}
