package shifts_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/shifts"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func key() string                { return service.NewID().String() }

type fixture struct {
	t     *testing.T
	set   *servicetest.Set
	w     redemptiontest.World
	desk  context.Context // service desk of the mall (the cashier)
	till  context.Context // merchant staff of MerchantA
	admin context.Context
	card  string
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	t.Parallel()
	clock := redemptiontest.NewClock(time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC))
	set := servicetest.New(t, storetest.DB(t), servicetest.Clock(clock.Now))
	w := redemptiontest.NewWorld(t, set.DB)
	f := fixture{t: t, set: set, w: w,
		desk:  servicetest.Context(servicetest.Staff(auth.RoleServiceDesk, auth.LevelMall, w.MallID)),
		till:  servicetest.Context(servicetest.Staff(auth.RoleMerchantStaff, auth.LevelMerchant, w.MerchantA)),
		admin: servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelGroup, w.GroupID))}
	m := w.Member(t, set.DB)
	c, err := set.Members.Card(f.admin, w.Card(t, m))
	if err != nil {
		t.Fatal(err)
	}
	f.card = c.Number
	return f
}

func (f fixture) recharge(amount, tender string) {
	f.t.Helper()
	if _, err := f.set.Loyalty.RechargeCard(f.desk, loyalty.RechargeInput{MallID: f.w.MallID, CardNumber: f.card,
		Amount: d(amount), Tender: tender, IdempotencyKey: key()}); err != nil {
		f.t.Fatal(err)
	}
}

// TestShiftExpectedCashIsFloatPlusCashOps: a desk shift's expected cash is its float
// plus the sum of its cash operations; card recharges are expected under CARD; the
// close records counted and variance (short < 0, over > 0) per tender.
func TestShiftExpectedCashIsFloatPlusCashOps(t *testing.T) {
	f := newFixture(t)
	sh, err := f.set.Shifts.Open(f.desk, shifts.OpenInput{MallID: f.w.MallID, Till: "D1", Float: d("500.00")})
	if err != nil {
		t.Fatal(err)
	}
	f.recharge("100.00", "CASH")
	f.recharge("250.50", "")
	f.recharge("300.00", "CARD")
	rep, err := f.set.Shifts.Report(f.desk, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Expected[shifts.TenderCash]; !got.Equal(d("850.50")) {
		t.Errorf("expected cash %s, want 500 + 100 + 250.50", got)
	}
	if got := rep.Expected[shifts.TenderCard]; !got.Equal(d("300.00")) {
		t.Errorf("expected card %s", got)
	}
	closed, err := f.set.Shifts.Close(f.desk, sh.ID, []shifts.Count{{Tender: "CASH", Amount: d("850.00")},
		{Tender: "CARD", Amount: d("300.00")}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{"CASH": {"850.50", "850.00", "-0.50"}, "CARD": {"300.00", "300.00", "0"}}
	if len(closed.Tallies) != len(want) {
		t.Fatalf("tallies %+v", closed.Tallies)
	}
	for _, tl := range closed.Tallies {
		w := want[tl.Tender]
		if !tl.Expected.Equal(d(w[0])) || !tl.Counted.Equal(d(w[1])) || !tl.Variance.Equal(d(w[2])) {
			t.Errorf("%s: %+v, want %v", tl.Tender, tl, w)
		}
	}
	if closed.Tallies[0].Result() == closed.Tallies[1].Result() {
		t.Errorf("results %s %s", closed.Tallies[0].Result(), closed.Tallies[1].Result())
	}
	f.recharge("10.00", "CASH") // after the close: in no shift
	if rep, _ = f.set.Shifts.Report(f.desk, sh.ID); !rep.Expected[shifts.TenderCash].Equal(d("850.50")) {
		t.Errorf("an operation after the close joined the shift: %s", rep.Expected[shifts.TenderCash])
	}
}

// TestShiftPurchaseAndRefundCashParts: a merchant till's shift records a purchase's
// cash part (in) and a refund's cash part (out).
func TestShiftPurchaseAndRefundCashParts(t *testing.T) {
	f := newFixture(t)
	sh, err := f.set.Shifts.Open(f.till, shifts.OpenInput{MerchantID: f.w.MerchantA, Till: "T1", Float: d("100.00")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.set.Loyalty.RecordPurchase(f.till, loyalty.PurchaseInput{MerchantID: f.w.MerchantA, CardNumber: f.card,
		Amount: d("80.00"), ReceiptNo: "R1", IdempotencyKey: key()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.set.Loyalty.RefundPurchase(f.till, loyalty.RefundInput{MerchantID: f.w.MerchantA, ReceiptNo: "R1",
		Amount: d("30.00"), IdempotencyKey: key()}); err != nil {
		t.Fatal(err)
	}
	rep, err := f.set.Shifts.Report(f.till, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Expected[shifts.TenderCash]; !got.Equal(d("150.00")) {
		t.Errorf("expected cash %s, want 100 + 80 - 30", got)
	}
	if len(rep.ByKind) != 2 {
		t.Errorf("by kind %+v", rep.ByKind)
	}
}

// TestShiftCloseTwiceRefused: a second close is SHIFT_ALREADY_CLOSED, and of many
// concurrent closes exactly one wins (-race).
func TestShiftCloseTwiceRefused(t *testing.T) {
	f := newFixture(t)
	t.Run("one after the other", func(t *testing.T) {
		sh, err := f.set.Shifts.Open(f.desk, shifts.OpenInput{MallID: f.w.MallID, Till: "D1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.set.Shifts.Close(f.desk, sh.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := f.set.Shifts.Close(f.desk, sh.ID, nil); !errors.Is(err, shifts.ErrAlreadyClosed) {
			t.Errorf("second close: %v", err)
		}
	})
	t.Run("concurrently one wins", func(t *testing.T) {
		sh, err := f.set.Shifts.Open(f.desk, shifts.OpenInput{MallID: f.w.MallID, Till: "D2", Float: d("10")})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, lost := 0, 0
		for range 8 {
			wg.Go(func() {
				_, err := f.set.Shifts.Close(f.desk, sh.ID, []shifts.Count{{Tender: "CASH", Amount: d("10")}})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case errors.Is(err, shifts.ErrAlreadyClosed):
					lost++
				default:
					t.Errorf("close: %v", err)
				}
			})
		}
		wg.Wait()
		if won != 1 || lost != 7 {
			t.Errorf("won %d, lost %d", won, lost)
		}
	})
	t.Run("one open shift per cashier and till", func(t *testing.T) {
		if _, err := f.set.Shifts.Open(f.desk, shifts.OpenInput{MallID: f.w.MallID, Till: "D3"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.set.Shifts.Open(f.desk, shifts.OpenInput{MallID: f.w.MallID, Till: "D3"}); !errors.Is(err, shifts.ErrAlreadyOpen) {
			t.Errorf("second open: %v", err)
		}
	})
}

// TestShiftExpected: the pure expectation per tender.
func TestShiftExpected(t *testing.T) {
	cases := []struct {
		name   string
		float  string
		totals map[string]decimal.Decimal
		cash   string
	}{
		{"float only", "200", nil, "200"},
		{"float plus cash in and out", "200", map[string]decimal.Decimal{"CASH": d("-30.5"), "CARD": d("99")}, "169.5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := shifts.Expected(d(c.float), c.totals)["CASH"]; !got.Equal(d(c.cash)) {
				t.Errorf("got %s, want %s", got, c.cash)
			}
		})
	}
}
