package billing_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/ledger"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name, gross, rate, net, vat string
	}{
		{"rent at 9 %: 10,900.00 is 10,000 + 900", "10900.00", "0.09", "10000.00", "900.00"},
		{"management fee at 6 %: 1,000.00 rounds the VAT half up to 56.60", "1000.00", "0.06", "943.40", "56.60"},
		{"energy at 13 %", "113.00", "0.13", "100.00", "13.00"},
		{"deposit at 0: all net", "30000.00", "0", "30000.00", "0"},
		{"a fen of rent carries no VAT (0.0826 rounds down)", "0.01", "0.09", "0.01", "0.00"},
		{"just under half a fen rounds down: 0.54495 → 0.54", "6.60", "0.09", "6.06", "0.54"},
		{"an exact half fen rounds away from zero: 0.015 → 0.02", "0.04", "0.60", "0.02", "0.02"},
		{"a credit splits symmetrically", "-10900.00", "0.09", "-10000.00", "-900.00"},
		{"a credit's exact half fen rounds away from zero too", "-0.04", "0.60", "-0.02", "-0.02"},
		{"zero is zero", "0", "0.09", "0", "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net, vat := billing.Split(d(tc.gross), d(tc.rate))
			if !net.Equal(d(tc.net)) || !vat.Equal(d(tc.vat)) {
				t.Fatalf("Split(%s, %s) = %s + %s, want %s + %s", tc.gross, tc.rate, net, vat, tc.net, tc.vat)
			}
			if !net.Add(vat).Equal(d(tc.gross)) {
				t.Fatalf("net + VAT = %s, not the gross %s", net.Add(vat), tc.gross)
			}
		})
	}
}

func TestGroup(t *testing.T) {
	m1, m2 := uuid.MustParse("00000000-0000-7000-8000-000000000001"), uuid.MustParse("00000000-0000-7000-8000-000000000002")
	c1, c2, c3 := uuid.New(), uuid.New(), uuid.New()
	nov := schedule.MonthOf(schedule.D(2026, 11, 1)).Period()
	ch := func(c, m uuid.UUID, code, of, gross string, due int) billing.Charge {
		return billing.Charge{ContractID: c, MerchantID: m, Source: billing.SourceSchedule, SourceKey: code + of,
			Code: code, Of: of, Period: nov, Due: schedule.D(2026, 11, due), Gross: d(gross)}
	}
	rates := billing.Rates(billing.DefaultRates())
	for _, tc := range []struct {
		name      string
		charges   []billing.Charge
		merchants []uuid.UUID
		lines     []int
		gross     []string
		vat       []string
		due       []int
		err       bool
	}{
		{name: "nothing to bill makes no bill"},
		{name: "two contracts of one tenant make one bill",
			charges:   []billing.Charge{ch(c1, m1, "RENT", "", "10900.00", 5), ch(c2, m1, "MGMT_FEE", "", "1060.00", 5)},
			merchants: []uuid.UUID{m1}, lines: []int{2}, gross: []string{"11960.00"}, vat: []string{"960.00"}, due: []int{5}},
		{name: "two tenants make two bills in merchant order",
			charges:   []billing.Charge{ch(c3, m2, "RENT", "", "109.00", 5), ch(c1, m1, "DEPOSIT", "", "300.00", 1)},
			merchants: []uuid.UUID{m1, m2}, lines: []int{1, 1}, gross: []string{"300.00", "109.00"}, vat: []string{"0", "9.00"},
			due: []int{1, 5}},
		{name: "an adjustment is taxed as the charge it corrects and a credit lowers the bill",
			charges:   []billing.Charge{ch(c1, m1, "RENT", "", "109.00", 5), ch(c1, m1, "ADJUSTMENT", "MGMT_FEE", "-10.60", 20)},
			merchants: []uuid.UUID{m1}, lines: []int{2}, gross: []string{"98.40"}, vat: []string{"8.40"}, due: []int{5}},
		{name: "a code without a rate fails the group",
			charges: []billing.Charge{ch(c1, m1, "PARKING", "", "10.00", 5)}, err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := billing.Group(tc.charges, rates)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v", err)
			}
			if len(got) != len(tc.merchants) {
				t.Fatalf("%d bills, want %d", len(got), len(tc.merchants))
			}
			for i, b := range got {
				if b.MerchantID != tc.merchants[i] || len(b.Lines) != tc.lines[i] || !b.Gross.Equal(d(tc.gross[i])) ||
					!b.VAT.Equal(d(tc.vat[i])) || !b.Net.Add(b.VAT).Equal(b.Gross) || b.Due.Day() != tc.due[i] {
					t.Fatalf("bill %d = %+v", i, b)
				}
			}
		})
	}
}

func TestPosting(t *testing.T) {
	mall, merchant := uuid.New(), uuid.New()
	bill := billing.Bill{ID: uuid.New(), GroupID: uuid.New(), MallID: mall, MerchantID: merchant, Gross: d("42020.00")}
	lines := []billing.Line{
		{Code: "RENT", Net: d("10000.00"), VAT: d("900.00")},
		{Code: "MGMT_FEE", Net: d("1000.00"), VAT: d("60.00")},
		{Code: "ADJUSTMENT", Of: "RENT", Net: d("55.05"), VAT: d("4.95")},
		{Code: "DEPOSIT", Net: d("30000.00")},
	}
	p, ok := billing.Posting(bill, lines)
	if !ok || p.Key != billing.PostingKey(bill.ID) {
		t.Fatalf("posting %+v, %v", p, ok)
	}
	want := map[ledger.Account]string{
		ledger.TenantReceivable(merchant): "42020.00", ledger.Revenue(mall, "RENT"): "-10055.05",
		ledger.Revenue(mall, "MGMT_FEE"): "-1000.00", ledger.DepositHeld(merchant): "-30000.00",
		ledger.VATPayable(mall): "-964.95",
	}
	if len(p.Legs) != len(want) {
		t.Fatalf("legs %+v", p.Legs)
	}
	for _, l := range p.Legs {
		if !l.Amount.Equal(d(want[l.Account])) {
			t.Errorf("%v = %s, want %s", l.Account, l.Amount, want[l.Account])
		}
	}
	t.Run("a bill that nets to zero moves nothing", func(t *testing.T) {
		zero := billing.Bill{ID: uuid.New(), MallID: mall, MerchantID: merchant}
		if _, ok := billing.Posting(zero, []billing.Line{{Code: "RENT", Net: d("100"), VAT: d("9")},
			{Code: "ADJUSTMENT", Of: "RENT", Net: d("-100"), VAT: d("-9")}}); ok {
			t.Fatal("a zero bill posts")
		}
	})
}
