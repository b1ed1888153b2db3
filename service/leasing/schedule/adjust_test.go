package schedule

import (
	"encoding/json"
	"reflect"
	"testing"
)

func mustLines(t *testing.T, c Contract, through Date) []Line {
	t.Helper()
	ls, err := Lines(c, nil, through)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func TestAdjust(t *testing.T) {
	april := Month{2026, 4}.Period()
	due := D(2026, 4, 5)
	v1 := contract(nil)
	quarterly := contract(func(t *Terms) { t.Billing.Frequency = Quarterly })
	terminated := quarterly
	terminated.TerminatedOn = D(2026, 5, 20)
	cases := []struct {
		name       string
		billed     func(t *testing.T) []Line
		recomputed func(t *testing.T) []Line
		want       []want // ADJUSTMENT lines: code holds Of, period the corrected bill period
	}{
		{
			name:       "nothing changed: no adjustment",
			billed:     func(t *testing.T) []Line { return mustLines(t, v1, D(2026, 3, 1)) },
			recomputed: func(t *testing.T) []Line { return mustLines(t, v1, D(2026, 4, 1)) },
		},
		{
			// Feb billed 10000; now Feb 1..15 at 10000 × 15/28 = 5357.142857… → 5357.14
			// and Feb 16..28 at 12000 × 13/28 = 5571.428571… → 5571.43: 10928.57, so
			// +928.57. March billed 10000, now 12000: +2000.00. January unchanged.
			name:   "retroactive amendment: billed periods get adjustment lines for the difference",
			billed: func(t *testing.T) []Line { return mustLines(t, v1, D(2026, 3, 1)) },
			recomputed: func(t *testing.T) []Line {
				return mustLines(t, amended(v1, D(2026, 2, 16), func(t *Terms) { t.Rent.Amount = dec("12000") }), D(2026, 4, 1))
			},
			want: []want{
				{code: CodeRent, period: "2026-02-01..2026-02-28", amount: "928.57"},
				{code: CodeRent, period: "2026-03-01..2026-03-31", amount: "2000.00"},
			},
		},
		{
			// Q2 billed 30000 in advance; terminated May 20 it is 10000 + 10000 × 20/31
			// = 16451.61: −13548.39.
			name:       "early termination after the quarter was billed credits the days not leased",
			billed:     func(t *testing.T) []Line { return mustLines(t, quarterly, D(2026, 4, 1)) },
			recomputed: func(t *testing.T) []Line { return mustLines(t, terminated, D(2026, 12, 31)) },
			want:       []want{{code: CodeRent, period: "2026-04-01..2026-06-30", amount: "-13548.39"}},
		},
		{
			// The termination moves to before Q2: the whole billed quarter is reversed.
			name:   "a billed period no longer in the schedule is reversed in full",
			billed: func(t *testing.T) []Line { return mustLines(t, quarterly, D(2026, 4, 1)) },
			recomputed: func(t *testing.T) []Line {
				c := quarterly
				c.TerminatedOn = D(2026, 3, 31)
				return mustLines(t, c, D(2026, 12, 31))
			},
			want: []want{{code: CodeRent, period: "2026-04-01..2026-06-30", amount: "-30000.00"}},
		},
		{
			name: "adjustments already billed count: running Adjust again adds nothing",
			billed: func(t *testing.T) []Line {
				billed := mustLines(t, v1, D(2026, 3, 1))
				now := mustLines(t, amended(v1, D(2026, 2, 16), func(t *Terms) { t.Rent.Amount = dec("12000") }), D(2026, 4, 1))
				return append(billed, Adjust(billed, now, april, due)...)
			},
			recomputed: func(t *testing.T) []Line {
				return mustLines(t, amended(v1, D(2026, 2, 16), func(t *Terms) { t.Rent.Amount = dec("12000") }), D(2026, 4, 1))
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			billed := tc.billed(t)
			before := snapshot(t, billed)
			got := Adjust(billed, tc.recomputed(t), april, due)
			if snapshot(t, billed) != before {
				t.Fatal("Adjust changed a billed line")
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d adjustments, want %d:\n%s", len(got), len(tc.want), dump(got))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Code != CodeAdjustment || g.Of != w.code || g.Period.String() != w.period ||
					!g.Amount.Equal(dec(w.amount)) || g.BillPeriod != april || !g.DueDate.Equal(due) {
					t.Errorf("adjustment %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func snapshot(t *testing.T, ls []Line) string {
	b, err := json.Marshal(ls)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPending(t *testing.T) {
	v1 := contract(nil)
	billed := mustLines(t, v1, D(2026, 3, 1))
	now := mustLines(t, amended(v1, D(2026, 2, 16), func(t *Terms) { t.Rent.Amount = dec("12000") }), D(2026, 5, 1))
	t.Run("only periods not billed yet are pending, priced by the new version", func(t *testing.T) {
		compare(t, Pending(billed, now), []want{
			{code: CodeRent, period: "2026-04-01..2026-04-30", amount: "12000.00", days: 30, version: 2},
			{code: CodeRent, period: "2026-05-01..2026-05-31", amount: "12000.00", days: 31, version: 2},
		})
	})
}

func TestTermsJSONRoundTrip(t *testing.T) {
	in := baseTerms()
	in.Escalations = []Escalation{{Kind: StepPercent, Value: dec("3"), Anniversary: 1}, {Kind: StepAmount, Value: dec("2"), On: D(2026, 7, 1)}}
	in.Abatements = []Abatement{abate(AbateFitOut, CodeRent, D(2026, 1, 1), D(2026, 1, 31), "100")}
	in.PercentRent = pct("0.08", PctGuaranteedMinimum, "")
	in.LateFee = LateFee{RatePerDay: dec("0.0005"), GraceDays: 5, CapPercent: dec("20")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Terms
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(out)
	t.Run("terms survive JSONB storage unchanged", func(t *testing.T) {
		if string(b) != string(b2) {
			t.Fatalf("\n%s\n%s", b, b2)
		}
		if !reflect.DeepEqual(mustLines(t, contract(func(t *Terms) { *t = in }), D(2026, 12, 31)),
			mustLines(t, contract(func(t *Terms) { *t = out }), D(2026, 12, 31))) {
			t.Fatal("lines differ after a round trip")
		}
	})
	t.Run("an unset date is null", func(t *testing.T) {
		var d Date
		if err := json.Unmarshal([]byte(`null`), &d); err != nil || !d.IsZero() {
			t.Fatalf("%v %v", d, err)
		}
		if err := json.Unmarshal([]byte(`"2026-13-01"`), &d); err == nil {
			t.Fatal("month 13 accepted")
		}
	})
}
