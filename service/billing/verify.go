package billing

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/storage"
)

// Verify checks billing's invariants against the ledger in one repeatable-read
// snapshot and returns the breaches (none when sound), in the ledger's form so
// `atrium ledger verify` lists them with its own:
//   - every merchant's tenant_receivable balance equals the outstanding of its issued bills;
//   - every issued bill that moved something has its one issue posting, every bill
//     issue posting belongs to an issued bill, and an issued bill without one is zero;
//   - every bill's net, VAT, gross and outstanding equal the sums of its lines';
//   - every issued line's outstanding is its gross less its moves (deposit applications,
//     waivers, payments);
//   - every overdue (bill, contract)'s accrued late fees equal its LATE_FEE lines';
//   - every merchant's deposit register (deposits billed less applied and refunded)
//     equals its deposit_held balance (a credit: the negative of it);
//   - every approved request has its posting, and every request posting an approved request.
//   - the payment invariants (verifyPayments).
func (s *Service) Verify(ctx context.Context) ([]ledger.Breach, error) { return Verify(ctx, s.db) }

// Verify is Service.Verify over a database alone (for `atrium ledger verify`, which
// builds no services).
func Verify(ctx context.Context, db *storage.DB) ([]ledger.Breach, error) {
	var out []ledger.Breach
	add := func(check, format string, args ...any) {
		out = append(out, ledger.Breach{Check: check, Detail: fmt.Sprintf(format, args...)})
	}
	err := pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			q := queries.New(tx)
			owed, err := q.IssuedOutstanding(ctx)
			if err != nil {
				return err
			}
			balances, err := ledger.DerivedBalancesTx(ctx, tx, ledger.KindTenantReceivable, ledger.CNY)
			if err != nil {
				return err
			}
			for _, d := range receivableGaps(owed, balances) {
				add("tenant receivable equals issued bills outstanding", "%s", d)
			}
			bills, err := q.IssuedPostingKeys(ctx)
			if err != nil {
				return err
			}
			keys, err := ledger.PostingKeysTx(ctx, tx, postingPrefix)
			if err != nil {
				return err
			}
			for _, d := range postingGaps(bills, keys) {
				add("issued bill has one issue posting", "%s", d)
			}
			off, err := q.BillsOffLines(ctx)
			for _, d := range off {
				add("bill totals equal its lines", "%s", d)
			}
			if err != nil {
				return err
			}
			if err := verifyFees(ctx, tx, add); err != nil {
				return err
			}
			return verifyPayments(ctx, tx, add)
		})
	return out, err
}

// receivableGaps compares what each merchant owes on issued bills with its receivable.
func receivableGaps(owed []queries.IssuedOutstandingRow, balances []ledger.OwnerBalance) []string {
	want := map[uuid.UUID]decimal.Decimal{}
	for _, o := range owed {
		want[o.MerchantID] = o.Outstanding
	}
	var out []string
	for _, b := range balances {
		if w := want[b.Owner]; !w.Equal(b.Balance) {
			out = append(out, fmt.Sprintf("merchant %s receivable %s, issued bills outstanding %s", b.Owner, b.Balance, w))
		}
		delete(want, b.Owner)
	}
	for m, w := range want {
		if !w.IsZero() {
			out = append(out, fmt.Sprintf("merchant %s receivable 0, issued bills outstanding %s", m, w))
		}
	}
	return out
}

// postingGaps matches issued bills with the ledger's bill issue postings.
func postingGaps(bills []queries.IssuedPostingKeysRow, keys []string) []string {
	posted := map[string]bool{}
	for _, k := range keys {
		posted[k] = true
	}
	var out []string
	for _, b := range bills {
		switch {
		case b.PostingKey == "" && !b.Gross.IsZero():
			out = append(out, fmt.Sprintf("bill %s of %s has no posting", b.ID, b.Gross))
		case b.PostingKey != "" && b.PostingKey != PostingKey(b.ID):
			out = append(out, fmt.Sprintf("bill %s records posting %q", b.ID, b.PostingKey))
		case b.PostingKey != "" && !posted[b.PostingKey]:
			out = append(out, fmt.Sprintf("bill %s: posting %s missing in the ledger", b.ID, b.PostingKey))
		}
		delete(posted, b.PostingKey)
	}
	for k := range posted {
		if strings.HasPrefix(k, postingPrefix) {
			out = append(out, fmt.Sprintf("posting %s belongs to no issued bill", k))
		}
	}
	return out
}

// verifyFees checks the invariants of late fees, line moves, deposits and approvals.
func verifyFees(ctx context.Context, tx pgx.Tx, add func(check, format string, args ...any)) error {
	q := queries.New(tx)
	moves, err := q.LinesOffMoves(ctx)
	if err != nil {
		return err
	}
	for _, d := range moves {
		add("line outstanding equals gross less its moves", "%s", d)
	}
	fees, err := q.LateFeeStateOffLines(ctx)
	if err != nil {
		return err
	}
	for _, d := range fees {
		add("accrued late fees equal their lines", "%s", d)
	}
	held, err := q.DepositsHeld(ctx)
	if err != nil {
		return err
	}
	balances, err := ledger.DerivedBalancesTx(ctx, tx, ledger.KindDepositHeld, ledger.CNY)
	if err != nil {
		return err
	}
	want := map[uuid.UUID]decimal.Decimal{}
	for _, h := range held {
		want[h.MerchantID] = h.Held
	}
	for _, b := range balances {
		if w := want[b.Owner]; !w.Equal(b.Balance.Neg()) {
			add("deposit register equals deposit held", "merchant %s deposit_held %s, register %s", b.Owner, b.Balance.Neg(), w)
		}
		delete(want, b.Owner)
	}
	for m, w := range want {
		if !w.IsZero() {
			add("deposit register equals deposit held", "merchant %s deposit_held 0, register %s", m, w)
		}
	}
	approved, err := q.ApprovedPostingKeys(ctx)
	if err != nil {
		return err
	}
	keys, err := ledger.PostingKeysTx(ctx, tx, approvalPrefix)
	if err != nil {
		return err
	}
	posted := map[string]bool{}
	for _, k := range keys {
		posted[k] = true
	}
	for _, k := range approved {
		if !posted[k] {
			add("approved request has its posting", "posting %q missing in the ledger", k)
		}
		delete(posted, k)
	}
	for k := range posted {
		add("approved request has its posting", "posting %s belongs to no approved request", k)
	}
	return nil
}
