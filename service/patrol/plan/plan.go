// Package plan holds the pure rules of patrol plans: when a plan's rounds start on a day
// and which checkpoints a random round visits. No I/O, no clock.
package plan

import (
	"math/rand/v2"
	"slices"
	"time"
)

// RoundTimes lists the round starts of a plan on the civil day of day in loc: one per
// minute of minutes (after local midnight) when the day's weekday (0 = Sunday) is one of
// weekdays, in order. A start that a daylight-saving gap skips lands where Go's
// time.Date normalises it (the wall clock the day shows); duplicates that normalisation
// makes are listed once.
func RoundTimes(day time.Time, loc *time.Location, weekdays, minutes []int) []time.Time {
	y, m, d := day.In(loc).Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if !slices.Contains(weekdays, int(midnight.Weekday())) {
		return nil
	}
	ms := slices.Clone(minutes)
	slices.Sort(ms)
	var out []time.Time
	for _, min := range ms {
		st := time.Date(y, m, d, min/60, min%60, 0, 0, loc)
		if len(out) > 0 && !st.After(out[len(out)-1]) {
			continue
		}
		out = append(out, st)
	}
	return out
}

// Choose picks k of n checkpoints (indexes 0..n-1) for a random round from seed, in
// route order. The same seed always gives the same choice, so a stored seed proves
// which checkpoints a round was given. k <= 0 or k >= n: all of them.
func Choose(seed uint64, n, k int) []int {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	if k <= 0 || k >= n {
		return all
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	r.Shuffle(n, func(i, j int) { all[i], all[j] = all[j], all[i] })
	out := all[:k]
	slices.Sort(out)
	return out
}

// OnTimePercent is the share of due checkpoints scanned in their windows, rounded down
// (100 when nothing was due).
func OnTimePercent(due, missed int) int {
	if due <= 0 {
		return 100
	}
	return (due - missed) * 100 / due
}
