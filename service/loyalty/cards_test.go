package loyalty_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
)

// An expired card neither pays, nor receives value, nor lends its balance to its
// supplementary cards: every path that spends from a card asks members.Card.Usable,
// which checks the expiry (loyalty's own copy of the rule used to skip it).
func TestExpiredCardIsRefused(t *testing.T) {
	b := setup(t)
	expired, active := b.member(), b.member()
	b.recharge(expired, "100")
	b.recharge(active, "100")
	for _, m := range []member{expired, active} {
		b.bought(m, "100", "0", "0") // 100 points each, to transfer
	}
	kid := b.org.Member(t, b.db)
	supp, suppNumber := b.org.Card(t, b.db, kid)
	b.exec(`UPDATE cards SET primary_card_id = $2 WHERE id = $1`, supp, expired.Card)
	b.exec(`UPDATE cards SET expires_at = $2 WHERE id = $1`, expired.Card, b.clock.Now().Add(-time.Hour))

	cases := []struct {
		name string
		call func() error
	}{
		{"purchase with the expired card", func() error { _, err := b.buy(expired, "10", "10", "0"); return err }},
		{"purchase with a supplementary card of the expired card", func() error {
			_, err := b.buy(member{ID: kid, Card: supp, Number: suppNumber}, "10", "10", "0")
			return err
		}},
		{"recharge of the expired card", func() error {
			_, err := b.svc.RechargeCard(b.desk, loyalty.RechargeInput{MallID: b.org.MallID, CardNumber: expired.Number,
				Amount: d("50"), IdempotencyKey: key()})
			return err
		}},
		{"uses from the expired card", func() error {
			_, err := b.svc.RedeemUses(b.desk, loyalty.UsesInput{MallID: b.org.MallID, CardNumber: expired.Number, Uses: 1,
				IdempotencyKey: key()})
			return err
		}},
		{"transfer from the expired card", func() error { return b.transfer(expired, active) }},
		{"transfer to the expired card", func() error { return b.transfer(active, expired) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if e, ok := errs.As(err); !ok || !errors.Is(err, members.ErrCardExpired) || e.Code != "CARD_EXPIRED" {
				t.Fatalf("err = %v, want CARD_EXPIRED", err)
			}
		})
	}
	eq(t, "expired card's stored value", b.balances(expired.Card).StoredValue, "100")
	eq(t, "active card's points", b.balances(active.Card).Points, "100")
	b.verify()
}

// transfer sends 10 points from one member's card to another's.
func (b bundle) transfer(from, to member) error {
	_, err := b.svc.TransferPoints(shopperCtx(from.ID), loyalty.TransferInput{FromCardID: from.Card,
		ToCardNumber: to.Number, Points: d("10"), IdempotencyKey: key()})
	return err
}

func (b bundle) exec(sql string, args ...any) {
	b.t.Helper()
	if _, err := b.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		b.t.Fatal(err)
	}
}
