package latefee

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// day n is 2026-03-n (day 0 is 2026-02-28).
func day(n int) schedule.Date { return schedule.D(2026, 3, 1).AddDays(n - 1) }

func steps(kv ...any) []Step {
	var out []Step
	for i := 0; i < len(kv); i += 2 {
		out = append(out, Step{From: day(kv[i].(int)), Outstanding: dec(kv[i+1].(string))})
	}
	return out
}

// A bill of 10,000.00 issued on day 1, due on day 5; 0.05 % a day.
var (
	noGrace   = schedule.LateFee{RatePerDay: dec("0.0005")}
	fiveDays  = schedule.LateFee{RatePerDay: dec("0.0005"), GraceDays: 5}
	capped    = schedule.LateFee{RatePerDay: dec("0.001"), CapPercent: dec("1")}
	unpaid    = steps(1, "10000")
	dueOnDay5 = day(5)
)

func TestAccrue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		rule      schedule.LateFee
		principal []Step
		watermark int // 0: none
		accrued   string
		today     int
		want      string // "" nothing, else "from..to amount"
		watermk   int    // the new watermark (0: none)
	}{
		{name: "paid before due", rule: noGrace, principal: steps(1, "10000", 4, "0"), today: 20, watermk: 19},
		{name: "paid on the due date", rule: noGrace, principal: steps(1, "10000", 5, "0"), today: 20, watermk: 19},
		{name: "due today: nothing yet", rule: noGrace, principal: unpaid, today: 5},
		{name: "the day after due: nothing yet (the day is not over)", rule: noGrace, principal: unpaid, today: 6},
		{name: "first overdue day accrues the next day", rule: noGrace, principal: unpaid, today: 7,
			want: "2026-03-06..2026-03-06 5.00", watermk: 6},
		{name: "within grace: nothing, watermark stays", rule: fiveDays, principal: unpaid, today: 10},
		{name: "paid within grace: nothing ever", rule: fiveDays, principal: steps(1, "10000", 8, "0"), today: 20, watermk: 19},
		{name: "after grace: the grace days count", rule: fiveDays, principal: unpaid, today: 12,
			want: "2026-03-06..2026-03-11 30.00", watermk: 11},
		{name: "last grace day over only tomorrow", rule: fiveDays, principal: unpaid, today: 11},
		{name: "partly paid within grace: grace days on the remainder only", rule: fiveDays,
			principal: steps(1, "10000", 7, "4000"), today: 12, want: "2026-03-06..2026-03-11 12.00", watermk: 11},
		{name: "partial payment mid-range", rule: noGrace, principal: steps(1, "10000", 9, "6000"), today: 11,
			want: "2026-03-06..2026-03-10 21.00", watermk: 10},
		{name: "paid in full mid-range", rule: noGrace, principal: steps(1, "10000", 8, "0"), today: 11,
			want: "2026-03-06..2026-03-10 10.00", watermk: 10},
		{name: "reversed payment raises the principal again", rule: noGrace,
			principal: steps(1, "10000", 6, "0", 8, "10000"), today: 10, want: "2026-03-06..2026-03-09 10.00", watermk: 9},
		{name: "rerun the same day adds nothing", rule: noGrace, principal: unpaid, watermark: 10, accrued: "25", today: 11,
			watermk: 10},
		{name: "daily run after yesterday's", rule: noGrace, principal: unpaid, watermark: 10, accrued: "25", today: 12,
			want: "2026-03-11..2026-03-11 5.00", watermk: 11},
		{name: "watermark gap of several days is one range", rule: noGrace, principal: unpaid, watermark: 10, accrued: "25",
			today: 16, want: "2026-03-11..2026-03-15 25.00", watermk: 15},
		{name: "cap reached inside the range", rule: capped, principal: unpaid, watermark: 12, accrued: "70", today: 20,
			want: "2026-03-13..2026-03-19 30.00", watermk: 19},
		{name: "cap already reached: nothing, watermark moves", rule: capped, principal: unpaid, watermark: 19,
			accrued: "100", today: 25, watermk: 24},
		{name: "cap on the principal overdue at the due date", rule: capped, principal: steps(1, "10000", 6, "5000"),
			accrued: "0", today: 200, want: "2026-03-06..2026-09-15 100.00", watermk: 199},
		{name: "rounded once from the exact sum", rule: schedule.LateFee{RatePerDay: dec("0.0003")},
			principal: steps(1, "1234.56"), today: 9, want: "2026-03-06..2026-03-08 1.11", watermk: 8},
		{name: "half away from zero", rule: schedule.LateFee{RatePerDay: dec("0.0005")},
			principal: steps(1, "10.00"), today: 7, want: "2026-03-06..2026-03-06 0.01", watermk: 6},
		{name: "below half a fen: nothing, watermark moves", rule: schedule.LateFee{RatePerDay: dec("0.0001")},
			principal: steps(1, "10.00"), today: 7, watermk: 6},
		{name: "old watermark before due is ignored", rule: noGrace, principal: unpaid, watermark: 2, today: 8,
			want: "2026-03-06..2026-03-07 10.00", watermk: 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Due: dueOnDay5, Rule: tt.rule, Principal: tt.principal, Today: day(tt.today)}
			if tt.watermark > 0 {
				in.Watermark = day(tt.watermark)
			}
			if tt.accrued != "" {
				in.Accrued = dec(tt.accrued)
			}
			r, err := Accrue(in)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if r.Accrual != nil {
				got = r.Accrual.Period.String() + " " + r.Accrual.Amount.StringFixed(2)
			}
			wantMark := schedule.Date{}
			if tt.watermk > 0 {
				wantMark = day(tt.watermk)
			}
			if got != tt.want || !r.Watermark.Equal(wantMark) {
				t.Fatalf("got %q watermark %s, want %q %s (%+v)", got, r.Watermark, tt.want, wantMark, r.Accrual)
			}
		})
	}
}

// TestAccrueDailyRuns: a job run three times a day for a month accrues each overdue
// day exactly once, in contiguous ranges, never above the cap.
func TestAccrueDailyRuns(t *testing.T) {
	t.Parallel()
	rules := map[string]schedule.LateFee{"no grace": noGrace, "grace": fiveDays, "capped": capped,
		"capped with grace": {RatePerDay: dec("0.002"), GraceDays: 3, CapPercent: dec("2")}}
	for name, rule := range rules {
		t.Run(name, func(t *testing.T) {
			principal := steps(1, "10000", 12, "7000", 20, "7000.01")
			var mark schedule.Date
			accrued := decimal.Zero
			covered := 0
			for today := 1; today <= 60; today++ {
				for range 3 {
					r, err := Accrue(Input{Due: dueOnDay5, Rule: rule, Principal: principal, Watermark: mark,
						Accrued: accrued, Today: day(today)})
					if err != nil {
						t.Fatal(err)
					}
					if a := r.Accrual; a != nil {
						if !mark.IsZero() && !a.Period.Start.Equal(mark.AddDays(1)) || mark.IsZero() && !a.Period.Start.Equal(day(6)) {
							t.Fatalf("day %d: range %s after watermark %s", today, a.Period, mark)
						}
						covered += a.Period.Days()
						accrued = accrued.Add(a.Amount)
					}
					mark = r.Watermark
				}
			}
			if rule.CapPercent.IsPositive() && accrued.GreaterThan(rule.CapPercent.Mul(dec("100"))) {
				t.Fatalf("accrued %s above the cap", accrued)
			}
			if !mark.Equal(day(59)) {
				t.Fatalf("watermark %s", mark)
			}
			if rule.CapPercent.IsZero() && covered != 59-5 {
				t.Fatalf("%d days accrued, want %d", covered, 59-5)
			}
		})
	}
}

func TestAccrueRefuses(t *testing.T) {
	t.Parallel()
	ok := Input{Due: dueOnDay5, Rule: noGrace, Principal: unpaid, Today: day(10)}
	tests := []struct {
		name  string
		in    func(Input) Input
		field string
	}{
		{name: "no due date", in: func(in Input) Input { in.Due = schedule.Date{}; return in }, field: "due"},
		{name: "no today", in: func(in Input) Input { in.Today = schedule.Date{}; return in }, field: "today"},
		{name: "negative rate", in: func(in Input) Input { in.Rule.RatePerDay = dec("-0.1"); return in }, field: "rule.ratePerDay"},
		{name: "negative grace", in: func(in Input) Input { in.Rule.GraceDays = -1; return in }, field: "rule.graceDays"},
		{name: "negative cap", in: func(in Input) Input { in.Rule.CapPercent = dec("-1"); return in }, field: "rule.capPercent"},
		{name: "accrued below the fen", in: func(in Input) Input { in.Accrued = dec("0.001"); return in }, field: "accrued"},
		{name: "watermark today", in: func(in Input) Input { in.Watermark = day(10); return in }, field: "watermark"},
		{name: "steps out of order", in: func(in Input) Input { in.Principal = steps(3, "1", 2, "1"); return in },
			field: "principal.1.from"},
		{name: "principal known only after due", in: func(in Input) Input { in.Principal = steps(6, "1"); return in },
			field: "principal.0.from"},
		{name: "negative principal", in: func(in Input) Input { in.Principal = steps(3, "-1"); return in },
			field: "principal.0.outstanding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Accrue(tt.in(ok))
			if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "("+tt.field+")") {
				t.Fatalf("error %v, want one at %s", err, tt.field)
			}
		})
	}
}

func TestWaive(t *testing.T) {
	t.Parallel()
	a := Accrual{Period: schedule.Period{Start: day(6), End: day(10)}, Amount: dec("25.00")}
	b := Accrual{Period: schedule.Period{Start: day(11), End: day(11)}, Amount: dec("5.01")}
	tests := []struct {
		name  string
		chose []Accrual
		total string
		field string
	}{
		{name: "one accrual", chose: []Accrual{a}, total: "-25"},
		{name: "two accruals", chose: []Accrual{a, b}, total: "-30.01"},
		{name: "nothing chosen", field: "accruals"},
		{name: "the same accrual twice", chose: []Accrual{a, b, a}, field: "accruals.2.period"},
		{name: "overlapping ranges", chose: []Accrual{a, {Period: schedule.Period{Start: day(10), End: day(12)},
			Amount: dec("1")}}, field: "accruals.1.period"},
		{name: "zero accrual", chose: []Accrual{{Period: a.Period}}, field: "accruals.0.amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Waive(tt.chose)
			if tt.field != "" {
				if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "("+tt.field+")") {
					t.Fatalf("error %v, want one at %s", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !w.Total.Equal(dec(tt.total)) || len(w.Lines) != len(tt.chose) {
				t.Fatalf("waiver %+v", w)
			}
			for i, l := range w.Lines {
				if !l.Amount.Add(tt.chose[i].Amount).IsZero() || l.Period != tt.chose[i].Period {
					t.Fatalf("line %d %+v does not reverse %+v", i, l, tt.chose[i])
				}
			}
		})
	}
}
