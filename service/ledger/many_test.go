package ledger_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/ledger"
)

// TestPostManyTx: many postings on derived accounts in one call, accounts created on
// first use; a rerun posts nothing twice; a card account is refused; the balances read
// back; the ledger verifies.
func TestPostManyTx(t *testing.T) {
	b := setup(t)
	g, mall := b.org.GroupID, b.org.MallID
	bill := func(key string, merchant uuid.UUID, gross, net, vat string) ledger.Posting {
		return ledger.Posting{GroupID: g, Kind: ledger.PostingBillIssue, Key: key, Legs: []ledger.Leg{
			{Account: ledger.TenantReceivable(merchant), Amount: d(gross)},
			{Account: ledger.Revenue(mall, "RENT"), Amount: d(net).Neg()},
			{Account: ledger.VATPayable(mall), Amount: d(vat).Neg()}}}
	}
	ps := []ledger.Posting{bill(keyed("a"), b.org.MerchantID, "109", "100", "9"),
		bill(keyed("b"), b.org.MerchantID, "218", "200", "18"), bill(keyed("c"), b.org.OtherMerch, "10.90", "10", "0.90")}
	post := func(ps []ledger.Posting) ([]string, error) {
		var keys []string
		err := b.db.InTx(ctxb(), func(tx pgx.Tx) (err error) {
			keys, err = b.l.PostManyTx(ctxb(), tx, g, ps)
			return err
		})
		return keys, err
	}
	if keys, err := post(ps); err != nil || len(keys) != 3 {
		t.Fatalf("posted %v, %v", keys, err)
	}
	if keys, err := post(append(ps, bill(keyed("d"), b.org.OtherMerch, "1.09", "1", "0.09"))); err != nil || len(keys) != 1 {
		t.Fatalf("a rerun with one new posting posted %v, %v", keys, err)
	}
	card := ledger.Posting{GroupID: g, Kind: ledger.PostingBillIssue, Key: keyed("card"), Legs: []ledger.Leg{
		{Account: ledger.Card(uuid.New(), ledger.CNY), Amount: d("1")}, {Account: ledger.VATPayable(mall), Amount: d("-1")}}}
	if _, err := post([]ledger.Posting{card}); !errors.Is(err, ledger.ErrUnbalanced) {
		t.Fatalf("a card leg: %v", err)
	}
	balances, err := ledger.DerivedBalancesTx(ctxb(), b.db.Pool, ledger.KindTenantReceivable, ledger.CNY)
	if err != nil {
		t.Fatal(err)
	}
	want := map[uuid.UUID]string{b.org.MerchantID: "327", b.org.OtherMerch: "11.99"}
	for _, bal := range balances {
		if !bal.Balance.Equal(d(want[bal.Owner])) {
			t.Errorf("receivable of %s = %s, want %s", bal.Owner, bal.Balance, want[bal.Owner])
		}
	}
	if len(balances) != 2 {
		t.Fatalf("balances %+v", balances)
	}
	if breaches, err := b.l.Verify(ctxb()); err != nil || len(breaches) > 0 {
		t.Fatalf("verify: %v %v", breaches, err)
	}
}
