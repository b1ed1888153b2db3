package plan_test

import (
	"slices"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/patrol/plan"
)

func TestRoundTimes(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	ny, _ := time.LoadLocation("America/New_York")
	weekdays := []int{1, 2, 3, 4, 5} // Monday to Friday
	for _, tc := range []struct {
		name     string
		day      time.Time
		loc      *time.Location
		weekdays []int
		minutes  []int
		want     []string
	}{
		{"a weekday lists every time, in order", time.Date(2026, 6, 3, 15, 0, 0, 0, sh), sh, weekdays,
			[]int{22 * 60, 8 * 60, 14*60 + 30}, []string{"2026-06-03 08:00", "2026-06-03 14:30", "2026-06-03 22:00"}},
		{"a weekend day of a weekday plan has none", time.Date(2026, 6, 6, 9, 0, 0, 0, sh), sh, weekdays,
			[]int{8 * 60}, nil},
		{"the mall's civil day, not UTC's (UTC is still the day before)", time.Date(2026, 6, 2, 20, 0, 0, 0, time.UTC),
			sh, []int{3}, []int{30}, []string{"2026-06-03 00:30"}},
		{"midnight and the last minute", time.Date(2026, 6, 7, 12, 0, 0, 0, sh), sh, []int{0}, []int{0, 1439},
			[]string{"2026-06-07 00:00", "2026-06-07 23:59"}},
		{"a DST gap: 02:30 does not exist and lands where time.Date puts it, still one round", time.Date(2026, 3, 8, 12, 0, 0, 0, ny), ny,
			[]int{0}, []int{150, 210}, []string{"2026-03-08 01:30", "2026-03-08 03:30"}},
		{"a DST overlap: 01:30 happens twice, one round", time.Date(2026, 11, 1, 12, 0, 0, 0, ny), ny,
			[]int{0}, []int{90}, []string{"2026-11-01 01:30"}},
		{"no times", time.Date(2026, 6, 3, 0, 0, 0, 0, sh), sh, weekdays, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, st := range plan.RoundTimes(tc.day, tc.loc, tc.weekdays, tc.minutes) {
				got = append(got, st.In(tc.loc).Format("2006-01-02 15:04"))
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("RoundTimes = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestChoose(t *testing.T) {
	for _, tc := range []struct {
		name    string
		seed    uint64
		n, k    int
		wantLen int
	}{
		{"k of n", 42, 10, 3, 3},
		{"k = 0 means all", 42, 5, 0, 5},
		{"k above n means all", 42, 4, 9, 4},
		{"one of one", 7, 1, 1, 1},
		{"nothing to choose from", 7, 0, 3, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := plan.Choose(tc.seed, tc.n, tc.k)
			if len(got) != tc.wantLen || !slices.IsSorted(got) {
				t.Fatalf("Choose = %v, want %d sorted indexes", got, tc.wantLen)
			}
			for i, x := range got {
				if x < 0 || x >= tc.n || (i > 0 && got[i-1] == x) {
					t.Fatalf("Choose = %v: out of range or repeated", got)
				}
			}
			if again := plan.Choose(tc.seed, tc.n, tc.k); !slices.Equal(got, again) {
				t.Fatalf("the same seed chose %v then %v", got, again)
			}
		})
	}
	// Different seeds spread: over 200 seeds every checkpoint of 10 is chosen some time.
	seen := map[int]bool{}
	for s := range uint64(200) {
		for _, x := range plan.Choose(s, 10, 3) {
			seen[x] = true
		}
	}
	if len(seen) != 10 {
		t.Fatalf("200 seeds chose only %v", seen)
	}
}

func TestOnTimePercent(t *testing.T) {
	for _, tc := range []struct {
		name              string
		due, missed, want int
	}{
		{"nothing due is on time", 0, 0, 100},
		{"all scanned", 12, 0, 100},
		{"one of three missed rounds down", 3, 1, 66},
		{"all missed", 5, 5, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := plan.OnTimePercent(tc.due, tc.missed); got != tc.want {
				t.Fatalf("OnTimePercent(%d, %d) = %d, want %d", tc.due, tc.missed, got, tc.want)
			}
		})
	}
}
