package meters

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestFlagRule: the backwards rule of a batch, reading after reading against a history.
func TestFlagRule(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	min := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	max := decimal.NewFromInt(1000)
	type reading struct {
		minute int
		value  int64
	}
	for _, tc := range []struct {
		name         string
		stored       []point
		replacements []int
		max          *decimal.Decimal
		readings     []reading
		want         []string
	}{
		{"first reading of a meter: never backwards", nil, nil, nil, []reading{{0, 5}}, []string{""}},
		{"rising: none flagged", nil, nil, nil, []reading{{0, 5}, {1, 6}, {2, 6}}, []string{"", "", ""}},
		{"drop after a stored reading: backwards", []point{{min(0), decimal.NewFromInt(100)}}, nil, nil,
			[]reading{{1, 90}}, []string{"backwards"}},
		{"a flagged reading is no predecessor", nil, nil, nil, []reading{{0, 100}, {1, 90}, {2, 95}},
			[]string{"", "backwards", "backwards"}},
		{"out of order: compared with the reading before it in time", nil, nil, nil,
			[]reading{{0, 100}, {5, 150}, {3, 120}, {4, 110}}, []string{"", "", "", "backwards"}},
		{"same instant is not before", nil, nil, nil, []reading{{1, 100}, {1, 50}}, []string{"", ""}},
		{"replacement between: not backwards", []point{{min(0), decimal.NewFromInt(100)}}, []int{1}, nil,
			[]reading{{2, 3}}, []string{""}},
		{"replacement at the reading's time counts", []point{{min(0), decimal.NewFromInt(100)}}, []int{2}, nil,
			[]reading{{2, 3}}, []string{""}},
		{"replacement at the previous reading's time does not", []point{{min(0), decimal.NewFromInt(100)}}, []int{0}, nil,
			[]reading{{2, 3}}, []string{"backwards"}},
		{"rollover: drop of more than half the range", nil, nil, &max, []reading{{0, 950}, {1, 10}}, []string{"", ""}},
		{"exactly half the range: backwards", nil, nil, &max, []reading{{0, 600}, {1, 100}}, []string{"", "backwards"}},
		{"small drop with a range: backwards", nil, nil, &max, []reading{{0, 950}, {1, 900}}, []string{"", "backwards"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &history{points: tc.stored}
			for _, m := range tc.replacements {
				h.replacements = append(h.replacements, min(m))
			}
			for i, r := range tc.readings {
				if got := h.flag(min(r.minute), decimal.NewFromInt(r.value), tc.max); got != tc.want[i] {
					t.Errorf("reading %d (%v): flag %q, want %q", i, r, got, tc.want[i])
				}
			}
		})
	}
}
