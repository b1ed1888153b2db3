package loyalty_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

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

// TestPaidRechargeUsesTheDeskRules: a recharge paid online (RechargeCardTx, in the
// payment's transaction) gets the same bonus, posting and cap as the desk's; a second
// credit with the payment's key is refused; CheckRecharge asks the same rules without
// posting, and a card of another group is not found.
func TestPaidRechargeUsesTheDeskRules(t *testing.T) {
	b := setup(t)
	if err := b.svc.SetRechargeBonus(b.admin, b.org.GroupID, d("100"), d("10")); err != nil {
		t.Fatal(err)
	}
	pl, err := b.orgs.MallPlace(context.Background(), nil, b.org.MallID)
	if err != nil {
		t.Fatal(err)
	}
	m := b.member()
	credit := func(amount, key string) (loyalty.Recharge, error) {
		var r loyalty.Recharge
		err := b.db.InTx(context.Background(), func(tx pgx.Tx) (err error) {
			r, err = b.svc.RechargeCardTx(context.Background(), tx, loyalty.PaidRecharge{Mall: pl, CardID: m.Card,
				Amount: d(amount), Key: key})
			return err
		})
		return r, err
	}
	check := func(card uuid.UUID, amount string) error {
		return b.db.InTx(context.Background(), func(tx pgx.Tx) error {
			_, _, err := b.svc.CheckRecharge(context.Background(), tx, pl, card, d(amount))
			return err
		})
	}
	if err := check(m.Card, "4995"); !errors.Is(err, loyalty.ErrStoredValueCap) {
		t.Errorf("check over the cap with the bonus: %v", err)
	}
	if err := check(m.Card, "100"); err != nil {
		t.Errorf("check: %v", err)
	}
	r, err := credit("100", "recharge:wechatpay:abc")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "bonus", r.Bonus, "10")
	eq(t, "balance", r.Balance, "110")
	if _, err := credit("100", "recharge:wechatpay:abc"); err == nil {
		t.Error("a second credit of one payment went through")
	}
	eq(t, "stored value", b.balances(m.Card).StoredValue, "110")
	otherOrg := ledgertest.NewOrg(t, b.db)
	stranger := otherOrg.Member(t, b.db)
	card, _ := otherOrg.Card(t, b.db, stranger)
	if err := check(card, "10"); !errors.Is(err, loyalty.ErrCardNotFound) {
		t.Errorf("a card of another group: %v", err)
	}
	b.verify()
}
