package stats

import "testing"

// TestOptions checks statistics computed by hand.
func TestOptions(t *testing.T) {
	for _, c := range []struct {
		name     string
		options  []string
		counts   map[int]int64
		answered int64
		want     []string // "count:percent" per option
	}{
		{"single choice, 3 of 4 and 1 of 4", []string{"yes", "no"}, map[int]int64{0: 3, 1: 1}, 4, []string{"3:75", "1:25"}},
		{"thirds round half up", []string{"a", "b", "c"}, map[int]int64{0: 1, 1: 1, 2: 1}, 3, []string{"1:33.33", "1:33.33", "1:33.33"}},
		{"two thirds", []string{"a", "b"}, map[int]int64{0: 2, 1: 1}, 3, []string{"2:66.67", "1:33.33"}},
		{"multiple choice sums above 100", []string{"tea", "coffee", "juice"}, map[int]int64{0: 2, 1: 2, 2: 1}, 2, []string{"2:100", "2:100", "1:50"}},
		{"an option nobody chose", []string{"a", "b"}, map[int]int64{0: 5}, 5, []string{"5:100", "0:0"}},
		{"no answers yet", []string{"a"}, nil, 0, []string{"0:0"}},
		{"counts of unknown options ignored", []string{"a"}, map[int]int64{0: 1, 7: 9}, 1, []string{"1:100"}},
		{"one of seven", []string{"a", "b"}, map[int]int64{0: 1, 1: 6}, 7, []string{"1:14.29", "6:85.71"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Options(c.options, c.counts, c.answered)
			if len(got) != len(c.want) {
				t.Fatalf("%d options, want %d", len(got), len(c.want))
			}
			for i, o := range got {
				if s := itoa(o.Count) + ":" + o.Percent.String(); s != c.want[i] || o.Label != c.options[i] {
					t.Fatalf("option %d = %s (%s), want %s", i, s, o.Label, c.want[i])
				}
			}
		})
	}
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
