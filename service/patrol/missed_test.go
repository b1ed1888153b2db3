package patrol

import (
	"slices"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/calendar"
)

// TestRoundStarts: rounds are minutes after midnight in the mall's zone, listed for
// today and the two days before when they began within the lookback and not after now.
func TestRoundStarts(t *testing.T) {
	zones := calendar.NewZones(time.UTC)
	sh, ny := zones.Of("Asia/Shanghai"), zones.Of("America/New_York")
	at := func(loc *time.Location, day, h, m int) time.Time { return time.Date(2026, 5, day, h, m, 0, 0, loc) }
	for _, tc := range []struct {
		name    string
		loc     *time.Location
		minutes []int32
		now     time.Time
		want    []time.Time
	}{
		{"Shanghai morning and evening rounds", sh, []int32{8 * 60, 20 * 60}, at(sh, 3, 9, 0),
			[]time.Time{at(sh, 1, 20, 0), at(sh, 2, 8, 0), at(sh, 2, 20, 0), at(sh, 3, 8, 0)}},
		{"a round starting now is listed", sh, []int32{9 * 60}, at(sh, 3, 9, 0),
			[]time.Time{at(sh, 1, 9, 0), at(sh, 2, 9, 0), at(sh, 3, 9, 0)}},
		{"a round starting after now is not", sh, []int32{9*60 + 1}, at(sh, 3, 9, 0),
			[]time.Time{at(sh, 1, 9, 1), at(sh, 2, 9, 1)}},
		{"the mall's midnight, not UTC's (01:00 in Shanghai is the day before in UTC); 48.5 hours back is out",
			sh, []int32{30}, at(sh, 3, 1, 0), []time.Time{at(sh, 2, 0, 30), at(sh, 3, 0, 30)}},
		{"New York keeps its own midnight", ny, []int32{0}, at(ny, 3, 0, 0),
			[]time.Time{at(ny, 1, 0, 0), at(ny, 2, 0, 0), at(ny, 3, 0, 0)}},
		{"no rounds", sh, nil, at(sh, 3, 9, 0), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := roundStarts(tc.loc, tc.minutes, tc.now)
			if !slices.EqualFunc(got, tc.want, time.Time.Equal) {
				t.Fatalf("roundStarts = %v, want %v", got, tc.want)
			}
		})
	}
}
