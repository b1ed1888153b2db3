package sla

import (
	"sort"
	"time"
)

// run is one clock's inputs: the targets it reads, when it stopped (zero: running)
// and the gaps that never count besides pauses (for resolution, resolved→reopened).
type run struct {
	policy Policy
	cal    Calendar
	tl     Timeline
	now    time.Time
	target func(Target) time.Duration
	stop   time.Time
	gaps   []interval
}

// interval is [from, to) of instants; a zero to is open-ended.
type interval struct{ from, to time.Time }

// piece is a span of counting time under one priority's target.
type piece struct {
	interval
	target Target
}

// measure reads one clock.
func measure(r run) Clock {
	end := r.horizon()
	ps := r.pieces()
	inForce := r.inForce(end)
	c := Clock{
		Target:   r.target(inForce),
		Deadline: r.reach(ps, r.target),
		WarnAt:   r.reach(ps, func(t Target) time.Duration { return warnAmount(r.target(t)) }),
		Elapsed:  r.elapsed(ps, end),
	}
	c.Remaining = c.Target - c.Elapsed
	c.Percent = int(int64(c.Elapsed/time.Second) * 100 / int64(c.Target/time.Second))
	c.State = r.state(c, end)
	return c
}

// horizon is where the clock's reading ends: its stop, else now.
func (r run) horizon() time.Time {
	if r.stop.IsZero() {
		return r.now
	}
	return r.stop
}

func (r run) state(c Clock, end time.Time) State {
	switch {
	case !r.stop.IsZero() && !r.stop.After(c.Deadline):
		return Met
	case !end.Before(c.Deadline):
		return Breached
	case r.paused():
		return Paused
	case !end.Before(c.WarnAt):
		return Warning
	}
	return OK
}

// paused reports whether a running clock is inside a pause now.
func (r run) paused() bool {
	if !r.stop.IsZero() {
		return false
	}
	for _, p := range r.tl.Pauses {
		if p.To.IsZero() {
			return true
		}
	}
	return false
}

// warnAmount is ceil(80 % of t) in whole seconds.
func warnAmount(t time.Duration) time.Duration {
	s := int64(t / time.Second)
	return time.Duration((s*4+4)/5) * time.Second
}

// inForce is the target of the priority in force at t.
func (r run) inForce(t time.Time) Target {
	p := r.tl.Priority
	for _, c := range r.tl.Changes {
		if !c.At.After(t) {
			p = c.To
		}
	}
	return r.policy[p]
}

// clockFor is the arithmetic of a target: real time for 24×7, else the calendar.
func (r run) clockFor(t Target) Calendar {
	if t.AroundTheClock {
		return continuous{}
	}
	return r.cal
}

// reach is the first instant at which the counted time reaches want of the target in
// force (a piece already over its want is due at its start: an upgrade).
func (r run) reach(ps []piece, want func(Target) time.Duration) time.Time {
	var used time.Duration
	for _, p := range ps {
		w, cal := want(p.target), r.clockFor(p.target)
		if used >= w {
			return p.from
		}
		if p.to.IsZero() {
			return cal.Add(p.from, w-used)
		}
		got := cal.Between(p.from, p.to)
		if used+got >= w {
			return cal.Add(p.from, w-used)
		}
		used += got
	}
	panic("sla: pieces must end open-ended")
}

// elapsed is the counted time before until.
func (r run) elapsed(ps []piece, until time.Time) time.Duration {
	var sum time.Duration
	for _, p := range ps {
		to := until
		if !p.to.IsZero() && p.to.Before(until) {
			to = p.to
		}
		sum += r.clockFor(p.target).Between(p.from, to)
	}
	return sum
}

// pieces is the counting time from opening, cut at priority changes; the last piece is
// open-ended (after the horizon the clock is assumed to run).
func (r run) pieces() []piece {
	var out []piece
	for _, span := range r.counting() {
		out = append(out, r.cutByPriority(span)...)
	}
	return out
}

// counting is [opened, ∞) minus the pauses and gaps before the horizon.
func (r run) counting() []interval {
	from := r.tl.Opened
	var out []interval
	for _, s := range merge(r.stops()) {
		if s.from.After(from) {
			out = append(out, interval{from, s.from})
		}
		from = later(from, s.to)
	}
	return append(out, interval{from: from})
}

// stops is the pauses and gaps, cut to the horizon (an open pause ends there).
func (r run) stops() []interval {
	h := r.horizon()
	all := append([]interval(nil), r.gaps...)
	for _, p := range r.tl.Pauses {
		all = append(all, interval{p.From, p.To})
	}
	out := all[:0]
	for _, s := range all {
		if s.from.Before(h) {
			if s.to.IsZero() || s.to.After(h) {
				s.to = h
			}
			out = append(out, s)
		}
	}
	return out
}

// merge sorts closed intervals and joins overlapping ones (overlapping pauses count once).
func merge(in []interval) []interval {
	sort.Slice(in, func(i, j int) bool { return in[i].from.Before(in[j].from) })
	var out []interval
	for _, s := range in {
		if n := len(out); n > 0 && !s.from.After(out[n-1].to) {
			out[n-1].to = later(out[n-1].to, s.to)
			continue
		}
		out = append(out, s)
	}
	return out
}

// cutByPriority splits span where the priority changes.
func (r run) cutByPriority(span interval) []piece {
	var out []piece
	from := span.from
	for _, c := range r.tl.Changes {
		if c.At.After(from) && (span.to.IsZero() || c.At.Before(span.to)) && !c.At.After(r.horizon()) {
			out = append(out, piece{interval{from, c.At}, r.inForce(from)})
			from = c.At
		}
	}
	return append(out, piece{interval{from, span.to}, r.inForce(from)})
}

// continuous is real time, for 24×7 targets.
type continuous struct{}

func (continuous) Add(t time.Time, d time.Duration) time.Time { return t.Add(d) }

func (continuous) Between(a, b time.Time) time.Duration {
	if b.After(a) {
		return b.Sub(a)
	}
	return 0
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
