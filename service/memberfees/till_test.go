package memberfees_test

import (
	"testing"

	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/shifts"
)

// TestDeskCashBelongsToTheOpenShift: with the shift handover wired (Deps.Till), a card
// sold for cash, its joining fee paid in cash and a withdrawal paid out are recorded in
// the cashier's open shift, and the shift expects the float plus their net cash.
func TestDeskCashBelongsToTheOpenShift(t *testing.T) {
	f := setup(t)
	tills := shifts.New(shifts.Deps{DB: f.base.DB, Org: f.base.Org, Now: f.base.Clock.Now})
	f.svc = memberfees.New(memberfees.Deps{DB: f.base.DB, Org: f.base.Org, Members: f.mem, Ledger: f.base.Ledger,
		Till: tills, Now: f.base.Clock.Now})
	sh, err := tills.Open(f.desk, shifts.OpenInput{MallID: f.org.MallID, Till: "desk-1", Float: dec("500")})
	if err != nil {
		t.Fatal(err)
	}
	s := f.sell(t) // price 200 in cash
	if s.JoiningFee == nil {
		t.Fatal("no joining fee charged")
	}
	if _, err := f.svc.Pay(f.desk, memberfees.PayInput{MallID: f.org.MallID, FeeID: s.JoiningFee.ID,
		Method: memberfees.MethodCash, IdempotencyKey: "pay-joining"}); err != nil { // 50 in cash
		t.Fatal(err)
	}
	f.fund(t, s.CardID, "300")
	w, err := f.svc.Withdraw(f.desk, memberfees.WithdrawInput{MallID: f.org.MallID, CardID: s.CardID,
		Amount: dec("100"), IdempotencyKey: "w"}) // 98 paid out (2% fee)
	if err != nil {
		t.Fatal(err)
	}
	r, err := tills.Report(f.desk, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := dec("500").Add(dec("200")).Add(dec("50")).Sub(w.Net)
	if got := r.Expected[shifts.TenderCash]; !got.Equal(want) {
		t.Fatalf("expected cash %s, want %s (float 500 + sale 200 + fee 50 - withdrawal %s); by kind %+v",
			got, want, w.Net, r.ByKind)
	}
	f.verify(t)
}
