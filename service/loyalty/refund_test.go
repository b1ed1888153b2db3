package loyalty_test

import (
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty"
)

// A refund claws back exactly the points the purchase earned, even after some were
// spent: the rest of the card's points go first, then the balance becomes a debt.
func TestRefundClawsBackSpentPoints(t *testing.T) {
	b := setup(t)
	m := b.memberWith("200")
	p := b.bought(m, "100", "100", "0") // earns 100 points
	b.bought(m, "0.80", "0", "80")      // spends 80 of them, earns nothing
	eq(t, "points before", b.balances(m.Card).Points, "20")
	r := b.refunded(p, "")
	eq(t, "clawed", r.PointsClawed, "100")
	eq(t, "stored value back", r.StoredValue, "100")
	bal := b.balances(m.Card)
	eq(t, "points after", bal.Points, "-80")
	eq(t, "stored value after", bal.StoredValue, "200")
	b.verify()
	// The debt is paid off by the next earnings.
	b.bought(m, "100", "0", "0")
	eq(t, "points", b.balances(m.Card).Points, "20")
	b.verify()
}

// Partial refunds return each part in proportion and add up exactly to the purchase;
// refunded offset points come back; pending points are clawed back from their lot.
func TestPartialRefunds(t *testing.T) {
	b := setup(t)
	if err := b.svc.SetProgram(b.admin, loyalty.Program{GroupID: b.org.GroupID, TierBasis: "spend", TierWindowDays: 365,
		PointsExpiryDays: 365, ReturnWindowDays: 7, PointValue: d("0.01"), TransferMax: 100, TransferDailyMax: 100}); err != nil {
		t.Fatal(err)
	}
	m := b.memberWith("100")
	p := b.bought(m, "99.99", "33.33", "0")
	eq(t, "pending", b.balances(m.Card).PendingPoints, "99")
	var sv, clawed = d("0"), d("0")
	for _, amount := range []string{"33.33", "33.33", "0"} {
		r := b.refunded(p, amount)
		sv, clawed = sv.Add(r.StoredValue), clawed.Add(r.PointsClawed)
	}
	eq(t, "stored value refunded", sv, "33.33")
	eq(t, "points clawed", clawed, "99")
	bal := b.balances(m.Card)
	eq(t, "stored value", bal.StoredValue, "100")
	eq(t, "pending", bal.PendingPoints, "0")
	if _, err := b.refund(p, "0.01"); !errors.Is(err, loyalty.ErrRefundTooLarge) {
		t.Errorf("refund beyond the purchase: err = %v", err)
	}
	b.verify()
}

func TestRefundOfOffsetPointsKeepsExpiry(t *testing.T) {
	b := setup(t)
	m := b.memberWith("50")
	b.bought(m, "50", "50", "0") // 50 points
	before, _ := b.ledger.Lots(b.staff, m.Card)
	p := b.bought(m, "0.30", "0", "30")
	b.refunded(p, "")
	eq(t, "points", b.balances(m.Card).Points, "50")
	after, _ := b.ledger.Lots(b.staff, m.Card)
	for _, l := range after {
		if !l.ExpiresAt.Equal(before[0].ExpiresAt) {
			t.Errorf("restored lot expires %v, want %v", l.ExpiresAt, before[0].ExpiresAt)
		}
	}
	b.verify()
}

// Another merchant's receipt is not found at this merchant; another merchant's staff
// may not refund here.
func TestRefundScope(t *testing.T) {
	b := setup(t)
	m := b.member()
	p := b.bought(m, "10", "0", "0")
	other := staffCtx(auth.RoleMerchantStaff, auth.LevelMerchant, b.org.OtherMerch)
	_, err := b.svc.RefundPurchase(other, loyalty.RefundInput{MerchantID: b.org.OtherMerch, ReceiptNo: p.ReceiptNo, IdempotencyKey: key()})
	if !errors.Is(err, loyalty.ErrPurchaseNotFound) {
		t.Errorf("another merchant's receipt: err = %v", err)
	}
	_, err = b.svc.RefundPurchase(other, loyalty.RefundInput{MerchantID: b.org.MerchantID, ReceiptNo: p.ReceiptNo, IdempotencyKey: key()})
	if !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("another merchant's staff: err = %v", err)
	}
	_, err = b.refund(p, "-1")
	if !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("negative refund: err = %v", err)
	}
}
