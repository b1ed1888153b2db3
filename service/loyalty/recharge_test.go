package loyalty_test

import (
	"context"
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/loyalty"
)

func TestRechargeBonusAndScope(t *testing.T) {
	b := setup(t)
	if err := b.svc.SetRechargeBonus(b.admin, b.org.GroupID, d("100"), d("10")); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.SetRechargeBonus(b.admin, b.org.GroupID, d("500"), d("80")); err != nil {
		t.Fatal(err)
	}
	m := b.member()
	for _, c := range []struct{ amount, bonus string }{{"99.99", "0"}, {"100", "10"}, {"600", "80"}} {
		r, err := b.svc.RechargeCard(b.desk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: m.Number,
			Amount: d(c.amount), IdempotencyKey: key()})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "bonus of "+c.amount, r.Bonus, c.bonus)
	}
	eq(t, "stored value", b.balances(m.Card).StoredValue, "889.99")
	frozen := b.member()
	ledgertest.SetStatus(t, b.db, frozen.Card, "frozen")
	otherDesk := staffCtx(auth.RoleServiceDesk, auth.LevelMall, b.org.OtherMerch) // not a mall of ours
	for _, c := range []struct {
		name string
		ctx  context.Context
		in   loyalty.RechargeInput
		want error
	}{
		{"merchant staff", b.staff, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: m.Number, Amount: d("1")}, errs.ErrForbidden},
		{"another mall's desk", otherDesk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: m.Number, Amount: d("1")}, errs.ErrForbidden},
		{"zero", b.desk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: m.Number, Amount: d("0")}, errs.ErrInvalid},
		{"over-precise", b.desk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: m.Number, Amount: d("0.001")}, errs.ErrInvalid},
		{"frozen card", b.desk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: frozen.Number, Amount: d("1")}, loyalty.ErrCardFrozen},
		{"unknown card", b.desk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: "X", Amount: d("1")}, loyalty.ErrCardNotFound},
	} {
		c.in.IdempotencyKey = key()
		if _, err := b.svc.RechargeCard(c.ctx, c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	eq(t, "stored value", b.balances(m.Card).StoredValue, "889.99")
	b.verify()
}
