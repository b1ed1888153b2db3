package assets

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/assets/internal/queries"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/storage"
)

// Verify checks the register against the ledger in one repeatable-read snapshot and
// returns the breaches (none when sound), in the ledger's form so `atrium ledger
// verify` lists them with its own:
//   - every mall's accumulated_depreciation balance equals (as a credit) the opening
//     accumulated plus the posted lines of its assets in service;
//   - every mall's fixed_asset_cost balance equals the cost of its assets in service;
//   - every posted line of an amount has its posting, and every depreciation posting a line.
func Verify(ctx context.Context, db *storage.DB) ([]ledger.Breach, error) {
	var out []ledger.Breach
	add := func(check, format string, args ...any) {
		out = append(out, ledger.Breach{Check: check, Detail: fmt.Sprintf(format, args...)})
	}
	err := pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			q := queries.New(tx)
			register, err := q.AccumulatedByMall(ctx)
			if err != nil {
				return err
			}
			acc, err := ledger.DerivedBalancesTx(ctx, tx, KindAccumulated, ledger.CNY)
			if err != nil {
				return err
			}
			cost, err := ledger.DerivedBalancesTx(ctx, tx, KindCost, ledger.CNY)
			if err != nil {
				return err
			}
			wantAcc, wantCost := map[uuid.UUID]int64{}, map[uuid.UUID]int64{}
			for _, r := range register {
				wantAcc[r.MallID], wantCost[r.MallID] = -r.Accumulated, r.Cost
			}
			for _, d := range gaps(wantAcc, acc) {
				add("accumulated depreciation equals the register's posted depreciation", "%s", d)
			}
			for _, d := range gaps(wantCost, cost) {
				add("fixed asset cost equals the register", "%s", d)
			}
			lines, err := q.LineKeys(ctx)
			if err != nil {
				return err
			}
			keys, err := ledger.PostingKeysTx(ctx, tx, linePrefix)
			if err != nil {
				return err
			}
			for _, d := range keyGaps(lines, keys) {
				add("depreciation line has its posting", "%s", d)
			}
			return nil
		})
	return out, err
}

// gaps compares each mall's expected balance (fen) with its ledger balance (yuan).
func gaps(want map[uuid.UUID]int64, balances []ledger.OwnerBalance) []string {
	var out []string
	for _, b := range balances {
		w := want[b.Owner]
		if !yuan(w).Equal(b.Balance) {
			out = append(out, fmt.Sprintf("mall %s: ledger %s, register %s", b.Owner, b.Balance, yuan(w)))
		}
		delete(want, b.Owner)
	}
	for m, w := range want {
		if w != 0 {
			out = append(out, fmt.Sprintf("mall %s: ledger 0, register %s", m, yuan(w)))
		}
	}
	return out
}

// keyGaps matches the lines' posting keys with the ledger's depreciation postings.
func keyGaps(lines, keys []string) []string {
	posted := map[string]bool{}
	for _, k := range keys {
		posted[k] = true
	}
	var out []string
	for _, l := range lines {
		if !posted[l] {
			out = append(out, fmt.Sprintf("line %s has no posting", l))
		}
		delete(posted, l)
	}
	for k := range posted {
		if strings.HasPrefix(k, linePrefix) {
			out = append(out, fmt.Sprintf("posting %s has no line", k))
		}
	}
	return out
}
