package memberfees

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberfees/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Verify checks the member fees against the ledger in one repeatable-read snapshot and
// returns the breaches (none when sound), for `atrium ledger verify`:
//   - every fee's amount, paid and waived equal its postings (mfee_postings);
//   - every payer's member_fee_due balance is minus what its postings leave owed;
//   - every mirrored posting is in the ledger and every fee posting (key fee:…) mirrored;
//   - every withdrawal and every priced sale has its ledger posting.
func Verify(ctx context.Context, db *storage.DB) ([]ledger.Breach, error) {
	var out []ledger.Breach
	add := func(check, format string, args ...any) {
		out = append(out, ledger.Breach{Check: check, Detail: fmt.Sprintf(format, args...)})
	}
	err := pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			q := queries.New(tx)
			off, err := q.VerifyFeesOffPostings(ctx)
			if err != nil {
				return err
			}
			for _, f := range off {
				add("member fee equals its postings", "fee %s", f)
			}
			sums, err := q.VerifyPayerSums(ctx)
			if err != nil {
				return err
			}
			due, err := ledger.DerivedBalancesTx(ctx, tx, KindFeeDue, ledger.CNY)
			if err != nil {
				return err
			}
			want := map[uuid.UUID]decimal.Decimal{}
			for _, s := range sums {
				want[s.PayerID] = s.Owed.Neg()
			}
			for _, b := range due {
				if !want[b.Owner].Equal(b.Balance) {
					add("member fee due equals the fees owed", "payer %s: ledger %s, fees %s", b.Owner, b.Balance, want[b.Owner])
				}
				delete(want, b.Owner)
			}
			for p, w := range want {
				if !w.IsZero() {
					add("member fee due equals the fees owed", "payer %s: ledger 0, fees %s", p, w)
				}
			}
			mirrored, err := q.VerifyPostingKeys(ctx)
			if err != nil {
				return err
			}
			posted, err := ledger.PostingKeysTx(ctx, tx, "fee:")
			if err != nil {
				return err
			}
			for _, d := range keyGaps(mirrored, posted, "fee:") {
				add("member fee posting mirrored", "%s", d)
			}
			wd, err := q.VerifyWithdrawalKeys(ctx)
			if err != nil {
				return err
			}
			posted, err = ledger.PostingKeysTx(ctx, tx, "mfee-withdraw:")
			if err != nil {
				return err
			}
			for _, d := range keyGaps(wd, posted, "mfee-withdraw:") {
				add("withdrawal has its posting", "%s", d)
			}
			sales, err := q.VerifySaleIDs(ctx)
			if err != nil {
				return err
			}
			keys := make([]string, len(sales))
			for i, id := range sales {
				keys[i] = "mfee-sale:" + id.String()
			}
			posted, err = ledger.PostingKeysTx(ctx, tx, "mfee-sale:")
			if err != nil {
				return err
			}
			for _, d := range keyGaps(keys, posted, "mfee-sale:") {
				add("card sale has its posting", "%s", d)
			}
			return nil
		})
	return out, err
}

// keyGaps matches rows' posting keys with the ledger's postings of prefix.
func keyGaps(rows, posted []string, prefix string) []string {
	in := map[string]bool{}
	for _, k := range posted {
		in[k] = true
	}
	var out []string
	for _, k := range rows {
		if !in[k] {
			out = append(out, fmt.Sprintf("row %s has no posting", k))
		}
		delete(in, k)
	}
	for k := range in {
		if strings.HasPrefix(k, prefix) {
			out = append(out, fmt.Sprintf("posting %s has no row", k))
		}
	}
	return out
}
