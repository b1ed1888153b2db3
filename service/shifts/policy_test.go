package shifts_test

import (
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/shifts"
)

// TestShiftRequiredByPolicy: once a mall requires shifts at its desk, a recharge by a
// cashier with no open shift is refused (SHIFT_NOT_OPEN) and moves no value; with the
// shift open it is recorded in it. Only the mall's ADMIN or FINANCE set the policy.
func TestShiftRequiredByPolicy(t *testing.T) {
	f := newFixture(t)
	f.recharge("10.00", "CASH") // no policy: allowed, in no shift
	if _, err := f.set.Shifts.SetPolicy(f.desk, f.w.MallID, shifts.Policy{RequireAtDesk: true}); err == nil {
		t.Fatal("the service desk set the shift policy")
	}
	if _, err := f.set.Shifts.SetPolicy(f.admin, f.w.MallID, shifts.Policy{RequireAtDesk: true}); err != nil {
		t.Fatal(err)
	}
	if p, err := f.set.Shifts.Policy(f.desk, f.w.MallID); err != nil || !p.RequireAtDesk || p.RequireAtTills {
		t.Fatalf("policy %+v %v", p, err)
	}
	_, err := f.set.Loyalty.RechargeCard(f.desk, loyalty.RechargeInput{MallID: f.w.MallID, CardNumber: f.card,
		Amount: d("20.00"), Tender: "CASH", IdempotencyKey: key()})
	if !errors.Is(err, shifts.ErrNotOpen) {
		t.Fatalf("recharge without an open shift: %v, want SHIFT_NOT_OPEN", err)
	}
	sh, err := f.set.Shifts.Open(f.desk, shifts.OpenInput{MallID: f.w.MallID, Till: "D1", Float: d("0")})
	if err != nil {
		t.Fatal(err)
	}
	f.recharge("20.00", "CASH")
	rep, err := f.set.Shifts.Report(f.desk, sh.ID)
	if err != nil || !rep.Expected[shifts.TenderCash].Equal(d("20.00")) {
		t.Fatalf("expected cash %s (%v), want only the recharge made in the shift", rep.Expected[shifts.TenderCash], err)
	}
	var recharged string
	if err := f.set.DB.Pool.QueryRow(t.Context(), `SELECT coalesce(sum(amount), 0)::text FROM loyalty_recharges`).
		Scan(&recharged); err != nil || !d(recharged).Equal(d("30.00")) {
		t.Fatalf("recharged %s (%v), want 10 + 20: the refused one wrote nothing", recharged, err)
	}
}
