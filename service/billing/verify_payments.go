package billing

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/ledger"
)

// verifyPayments checks, in Verify's snapshot:
//   - every merchant's tenant_credit balance is minus its unapplied credit (a credit);
//   - every posted payment's live allocations plus the credit it left equal its amount;
//   - a reversed payment keeps no live allocation.
func verifyPayments(ctx context.Context, tx pgx.Tx, add func(check, format string, args ...any)) error {
	q := queries.New(tx)
	avail, err := q.TenantCreditsAvailable(ctx)
	if err != nil {
		return err
	}
	balances, err := ledger.DerivedBalancesTx(ctx, tx, ledger.KindTenantCredit, ledger.CNY)
	if err != nil {
		return err
	}
	for _, d := range creditGaps(avail, balances) {
		add("tenant credit equals unapplied credit", "%s", d)
	}
	off, err := q.PaymentsOffAllocations(ctx)
	if err != nil {
		return err
	}
	for _, d := range off {
		add("payment allocations plus credit equal its amount", "%s", d)
	}
	kept, err := q.ReversedPaymentsWithAllocations(ctx)
	for _, d := range kept {
		add("reversed payment has no live allocation", "%s", d)
	}
	return err
}

// creditGaps compares each merchant's unapplied credit with its tenant_credit balance.
func creditGaps(avail []queries.TenantCreditsAvailableRow, balances []ledger.OwnerBalance) []string {
	want := map[uuid.UUID]decimal.Decimal{}
	for _, a := range avail {
		want[a.MerchantID] = a.Available
	}
	var out []string
	for _, b := range balances {
		if w := want[b.Owner]; !w.Neg().Equal(b.Balance) {
			out = append(out, fmt.Sprintf("merchant %s tenant credit balance %s, unapplied credit %s", b.Owner, b.Balance, w))
		}
		delete(want, b.Owner)
	}
	for m, w := range want {
		out = append(out, fmt.Sprintf("merchant %s tenant credit balance 0, unapplied credit %s", m, w))
	}
	return out
}
