package sla

import (
	"sort"
	"time"
)

func sec(t time.Time) time.Time { return t.Truncate(time.Second) }

// clip is tl as known at now, at second precision: later events are dropped, a pause
// not ended by now is open, a resolution reopened after now still stands.
func clip(tl Timeline, now time.Time) Timeline {
	out := Timeline{Opened: sec(tl.Opened), Priority: tl.Priority}
	out.Responded = known(tl.Responded, now)
	out.Resolved = known(tl.Resolved, now)
	for _, c := range tl.Changes {
		if c.At = sec(c.At); !c.At.After(now) {
			out.Changes = append(out.Changes, c)
		}
	}
	sort.SliceStable(out.Changes, func(i, j int) bool { return out.Changes[i].At.Before(out.Changes[j].At) })
	for _, p := range tl.Pauses {
		if p.From = sec(p.From); !p.From.After(now) {
			p.To = known(p.To, now)
			out.Pauses = append(out.Pauses, p)
		}
	}
	clipReopens(&out, tl.Reopens, now)
	return out
}

// known is t at second precision if it happened by now, else zero.
func known(t, now time.Time) time.Time {
	if t = sec(t); t.After(now) {
		return time.Time{}
	}
	return t
}

// clipReopens keeps the reopens done by now; one resolved by now but reopened later
// means the order is resolved as of now.
func clipReopens(out *Timeline, rs []Reopen, now time.Time) {
	for _, r := range rs {
		r.Resolved, r.Reopened = sec(r.Resolved), sec(r.Reopened)
		switch {
		case r.Resolved.After(now):
		case r.Reopened.After(now):
			out.Resolved = r.Resolved
		default:
			out.Reopens = append(out.Reopens, r)
		}
	}
}

// reopenGaps are the spans between a resolution and its reopening: not counted.
func reopenGaps(rs []Reopen) []interval {
	out := make([]interval, 0, len(rs))
	for _, r := range rs {
		out = append(out, interval{r.Resolved, r.Reopened})
	}
	return out
}

// next is when a job must look at c again: its warning, else its deadline, if still
// ahead of a running, unpaused clock.
func next(c Clock, now time.Time) time.Time {
	if c.State == Met || c.State == Paused {
		return time.Time{}
	}
	if c.WarnAt.After(now) {
		return c.WarnAt
	}
	if c.Deadline.After(now) {
		return c.Deadline
	}
	return time.Time{}
}

// firstOf is the earlier of two instants, ignoring zeros.
func firstOf(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}
