package schedule

import (
	"testing"

	"github.com/shopspring/decimal"
)

// FuzzLines: for any contract, Lines never panics; a valid contract's lines are in
// cents, never negative (except true-ups and adjustments), inside the lease, and the
// RENT lines charge every covered day exactly once; Adjust between two schedules
// returns only ADJUSTMENT lines.
func FuzzLines(f *testing.F) {
	f.Add(uint16(0), uint16(365), uint8(0), uint32(1000000), uint8(5), uint8(1), uint16(10), uint16(40), uint8(100),
		uint16(2000), false, false, uint8(5), uint8(8), uint8(0), uint32(0), uint32(15000000), uint16(100), uint32(1200000), uint16(0))
	f.Add(uint16(1520), uint16(900), uint8(2), uint32(850), uint8(0), uint8(0), uint16(0), uint16(0), uint8(0),
		uint16(0), true, true, uint8(31), uint8(10), uint8(2), uint32(36500000), uint32(3), uint16(0), uint32(0), uint16(200))
	f.Fuzz(func(t *testing.T, start, length uint16, basis uint8, rent uint32, stepPct, anniv uint8,
		abFrom, abLen uint16, abPct uint8, fee uint16, quarterly, arrears bool, dueDay, rate, mode uint8,
		bp, sales uint32, amendAt uint16, amendRent uint32, termAt uint16) {
		t1 := fuzzTerms(start, length, basis, rent, stepPct, anniv, abFrom, abLen, abPct, fee, quarterly, arrears, dueDay, rate, mode, bp)
		c := Contract{Versions: []Version{{Number: 1, EffectiveFrom: t1.Start, Terms: t1}}}
		through := t1.End.AddDays(400)
		s := fuzzSales(t1, sales)
		base, err := Lines(c, s, through)
		if err != nil {
			return
		}
		checkLines(t, c, base, false)
		checkPrefix(t, c, s, base, t1.Start.AddDays(int(amendAt)))
		if amendAt > 0 {
			t2 := t1
			t2.Rent.Amount = cents(decimal.New(int64(amendRent), -2))
			c.Versions = append(c.Versions, Version{Number: 2, EffectiveFrom: t1.Start.AddDays(int(amendAt)), Terms: t2})
		}
		if termAt > 0 {
			c.TerminatedOn = t1.Start.AddDays(int(termAt))
		}
		now, err := Lines(c, s, through)
		if err != nil {
			return
		}
		checkLines(t, c, now, true)
		for _, a := range Adjust(base, now, Month{2030, 1}.Period(), D(2030, 1, 5)) {
			if a.Code != CodeAdjustment || a.Amount.IsZero() {
				t.Fatalf("Adjust returned %+v", a)
			}
		}
	})
}

func fuzzTerms(start, length uint16, basis uint8, rent uint32, stepPct, anniv uint8, abFrom, abLen uint16,
	abPct uint8, fee uint16, quarterly, arrears bool, dueDay, rate, mode uint8, bp uint32) Terms {
	t := baseTerms()
	t.Start = D(2020, 1, 1).AddDays(int(start % 4000))
	t.End = t.Start.AddDays(int(length % 1500))
	t.Rent = Rent{Basis: []RentBasis{RentFixedMonthly, RentPerM2Monthly, RentPerM2Daily, "BAD"}[basis%4], Amount: decimal.New(int64(rent), -2)}
	if anniv > 0 {
		t.Escalations = []Escalation{{Kind: []StepKind{StepPercent, StepAmount}[anniv%2], Value: decimal.NewFromInt(int64(stepPct)), Anniversary: int(anniv % 4)}}
	}
	if abPct > 0 {
		from := t.Start.AddDays(int(abFrom % 800))
		t.Abatements = []Abatement{abate(AbateRentFree, []Code{CodeRent, CodeMgmtFee, CodePctRent}[abPct%3], from, from.AddDays(int(abLen%200)), decimal.NewFromInt(int64(abPct%101)).String())}
	}
	t.ManagementFee = decimal.New(int64(fee), -2)
	t.Billing = Billing{Frequency: map[bool]Frequency{true: Quarterly, false: Monthly}[quarterly],
		Timing: map[bool]Timing{true: InArrears, false: InAdvance}[arrears], DueDay: int(dueDay % 33)}
	if rate > 0 {
		m := []PercentMode{PctGuaranteedMinimum, PctNaturalBreakpoint, PctArtificialBreakpoint}[mode%3]
		t.PercentRent = &PercentRent{Rate: decimal.New(int64(rate), -2), Mode: m}
		if m == PctArtificialBreakpoint {
			t.PercentRent.Breakpoint = decimal.New(int64(bp), -2)
		}
	}
	return t
}

func fuzzSales(t Terms, seed uint32) Sales {
	s := Sales{}
	for m, i := MonthOf(t.Start), 0; i < 60; i, m = i+1, MonthOf(m.Period().End.AddDays(1)) {
		if seed>>uint(i%32)&1 == 1 || seed%7 == 0 {
			s[m] = decimal.New(int64(seed%9973)*int64(i+1), 1)
		}
	}
	return s
}

func checkLines(t *testing.T, c Contract, ls []Line, amended bool) {
	t.Helper()
	k := newCalc(c)
	rentDays := 0
	for _, l := range ls {
		if l.Amount.Exponent() < -2 && !l.Amount.Equal(cents(l.Amount)) {
			t.Fatalf("not in cents: %+v", l)
		}
		if l.Amount.IsNegative() && l.Code != CodePctTrueUp && l.Code != CodeAdjustment {
			t.Fatalf("negative: %+v", l)
		}
		if l.Period.End.Before(l.Period.Start) || !k.span.Contains(l.Period.Start) || !k.span.Contains(l.Period.End) {
			t.Fatalf("period %s outside the lease %s: %+v", l.Period, k.span, l)
		}
		if l.Code == CodeRent {
			rentDays += l.Days
		}
	}
	if covered := k.span.Days(); !amended && rentDays != covered && !c.Versions[0].Terms.Rent.Amount.IsZero() {
		t.Fatalf("RENT lines charge %d days, the lease covers %d", rentDays, covered)
	}
}

// checkPrefix: the RENT, MGMT_FEE and DEPOSIT lines through a date are those of all
// lines whose billing period starts by it (Lines prices no day it need not).
func checkPrefix(t *testing.T, c Contract, s Sales, all []Line, through Date) {
	t.Helper()
	got, err := Lines(c, s, through)
	if err != nil {
		t.Fatal(err)
	}
	pick := func(ls []Line, by Date) []Line {
		var out []Line
		for _, l := range ls {
			if (l.Code == CodeRent || l.Code == CodeMgmtFee || l.Code == CodeDeposit) && !l.BillPeriod.Start.After(by) {
				out = append(out, l)
			}
		}
		return out
	}
	want, have := pick(all, through), pick(got, through)
	if len(want) != len(have) {
		t.Fatalf("through %s: %d lines, want %d", through, len(have), len(want))
	}
	for i := range want {
		if want[i].Code != have[i].Code || !want[i].Amount.Equal(have[i].Amount) || want[i].Basis != have[i].Basis ||
			want[i].Period != have[i].Period {
			t.Fatalf("through %s: %+v, want %+v", through, have[i], want[i])
		}
	}
}
