package memberfees_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/members"
)

var errsForbidden = errs.ErrForbidden

func TestRenewTwiceSameKeyExtendsOnce(t *testing.T) {
	f := setup(t)
	s := f.sell(t)
	in := memberfees.RenewInput{MallID: f.org.MallID, CardID: s.CardID, IdempotencyKey: "renew-1"}
	r1, err := f.svc.Renew(f.desk, in)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := f.svc.Renew(f.desk, in)
	if err != nil {
		t.Fatal(err)
	}
	want := s.ExpiresAt.AddDate(0, 12, 0)
	if !r1.ExpiresAt.Equal(want) || !r2.ExpiresAt.Equal(want) {
		t.Fatalf("renewals %v %v, want %v", r1.ExpiresAt, r2.ExpiresAt, want)
	}
	c, err := members.CardOf(t.Context(), f.base.DB.Pool, s.CardID)
	if err != nil || !c.ExpiresAt.Equal(want) {
		t.Fatalf("card expires %v (%v), want %v once", c.ExpiresAt, err, want)
	}
	if r1.AnnualFee == nil || !r1.AnnualFee.Amount.Equal(dec("100")) {
		t.Fatalf("renewal fee %+v", r1.AnnualFee)
	}
	r3, err := f.svc.Renew(f.desk, memberfees.RenewInput{MallID: f.org.MallID, CardID: s.CardID, IdempotencyKey: "renew-2"})
	if err != nil || !r3.ExpiresAt.Equal(want.AddDate(0, 12, 0)) {
		t.Fatalf("second renewal %v %v", r3.ExpiresAt, err)
	}
	if k := kinds(f.fees(t, s.CardID)); k["annual"] != 2 {
		t.Fatalf("annual fees %v: one per new fee year", k)
	}
	f.verify(t)
}

func TestExpiredCardRefusedUntilRenewed(t *testing.T) {
	f := setup(t)
	s := f.sell(t)
	f.fund(t, s.CardID, "100")
	f.base.Clock.Set(s.ExpiresAt.Add(time.Hour))
	w := memberfees.WithdrawInput{MallID: f.org.MallID, CardID: s.CardID, Amount: dec("50"), IdempotencyKey: "w1"}
	if _, err := f.svc.Withdraw(f.desk, w); !errors.Is(err, members.ErrCardExpired) {
		t.Fatalf("withdrawal from an expired card: %v", err)
	}
	c, _ := members.CardOf(t.Context(), f.base.DB.Pool, s.CardID)
	if err := c.Usable(f.base.Clock.Now()); !errors.Is(err, members.ErrCardExpired) {
		t.Fatalf("expired card usable for purchases: %v", err)
	}
	r, err := f.svc.Renew(f.desk, memberfees.RenewInput{MallID: f.org.MallID, CardID: s.CardID, IdempotencyKey: "r"})
	if err != nil || !r.ExpiresAt.Equal(f.base.Clock.Now().AddDate(0, 12, 0)) {
		t.Fatalf("renew expired %v %v", r.ExpiresAt, err)
	}
	w.IdempotencyKey = "w2"
	if _, err := f.svc.Withdraw(f.desk, w); err != nil {
		t.Fatal(err)
	}
	f.verify(t)
}

// TestWithdrawConcurrentNeverOverdraws: many desks withdraw from one card at once; the
// balance never goes below zero, the daily limit holds and each keeps the 2% fee.
func TestWithdrawConcurrentNeverOverdraws(t *testing.T) {
	for _, tc := range []struct {
		name, funds string
		wantOK      int
	}{
		{"the balance bounds", "250", 2},
		{"the daily limit bounds", "5000", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			s := f.sell(t)
			f.fund(t, s.CardID, tc.funds)
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok := 0
			for i := range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					w, err := f.svc.Withdraw(f.desk, memberfees.WithdrawInput{MallID: f.org.MallID, CardID: s.CardID,
						Amount: dec("100"), IdempotencyKey: fmt.Sprintf("w-%d", i)})
					switch {
					case err == nil:
						if !w.Fee.Equal(dec("2")) || !w.Net.Equal(dec("98")) || w.BalanceAfter.IsNegative() {
							t.Errorf("withdrawal %+v", w)
						}
						mu.Lock()
						ok++
						mu.Unlock()
					case errors.Is(err, ledger.ErrInsufficient), errors.Is(err, memberfees.ErrWithdrawal):
					default:
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if ok != tc.wantOK {
				t.Fatalf("%d withdrawals, want %d", ok, tc.wantOK)
			}
			want := dec(tc.funds).Sub(decimal.NewFromInt(int64(100 * ok)))
			if b := f.balance(t, s.CardID); !b.Equal(want) || b.IsNegative() {
				t.Fatalf("balance %s, want %s", b, want)
			}
			f.verify(t)
		})
	}
}

func TestWithdrawLimits(t *testing.T) {
	f := setup(t)
	s := f.sell(t)
	f.fund(t, s.CardID, "2000")
	for i, tc := range []struct {
		amount string
		ok     bool
	}{{"9.99", false}, {"500.01", false}, {"500", true}, {"300", true}, {"0.01", false}, {"10", false}} {
		_, err := f.svc.Withdraw(f.desk, memberfees.WithdrawInput{MallID: f.org.MallID, CardID: s.CardID,
			Amount: dec(tc.amount), IdempotencyKey: fmt.Sprintf("l-%d", i)})
		if (err == nil) != tc.ok {
			t.Fatalf("withdraw %s: %v, want ok %v", tc.amount, err, tc.ok)
		}
	}
	// the next business day the limit starts again
	f.base.Clock.Add(24 * time.Hour)
	if _, err := f.svc.Withdraw(f.desk, memberfees.WithdrawInput{MallID: f.org.MallID, CardID: s.CardID,
		Amount: dec("100"), IdempotencyKey: "next-day"}); err != nil {
		t.Fatal(err)
	}
	f.verify(t)
}
