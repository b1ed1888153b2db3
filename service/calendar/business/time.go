package business

import "time"

// date is a civil date, walked day by day (never by adding 24 hours).
type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time, loc *time.Location) date {
	y, m, d := t.In(loc).Date()
	return date{y, m, d}
}

func (d date) utc() time.Time        { return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC) }
func (d date) weekday() time.Weekday { return d.utc().Weekday() }
func (d date) next() date            { return dateOf(time.Date(d.y, d.m, d.d+1, 0, 0, 0, 0, time.UTC), time.UTC) }

// at is the instant of time of day s on d in loc (24:00 is the next midnight).
func (d date) at(s TimeOfDay, loc *time.Location) time.Time {
	return time.Date(d.y, d.m, d.d, 0, 0, int(s), 0, loc)
}

// span is an open interval of instants, [from, to).
type span struct{ from, to time.Time }

// spans is the open instants of civil date d, in order. An interval squeezed empty by a
// DST jump is dropped.
func (c Calendar) spans(d date) []span {
	h := c.hoursOn(d)
	out := make([]span, 0, len(h))
	for _, iv := range h {
		s := span{d.at(iv.From, c.loc), d.at(iv.To, c.loc)}
		if s.from.Before(s.to) {
			out = append(out, s)
		}
	}
	return out
}

func sec(t time.Time) time.Time { return t.Truncate(time.Second) }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Add returns the instant at which d of business time has passed after t. With d <= 0
// it is the first open instant at or after t (an order opened outside hours starts
// there). A d that exactly fills an interval ends at its closing instant.
func (c Calendar) Add(t time.Time, d time.Duration) time.Time {
	t, d = sec(t), max(d.Truncate(time.Second), 0)
	for day := dateOf(t, c.loc); ; day = day.next() {
		for _, s := range c.spans(day) {
			if !s.to.After(t) {
				continue
			}
			start := later(s.from, t)
			if left := s.to.Sub(start); d <= left {
				return start.Add(d)
			}
			d -= s.to.Sub(start)
		}
	}
}

// Between returns the business time in [a, b) (zero when b is not after a).
func (c Calendar) Between(a, b time.Time) time.Duration {
	a, b = sec(a), sec(b)
	var sum time.Duration
	last := dateOf(b, c.loc)
	for day := dateOf(a, c.loc); !last.before(day); day = day.next() {
		for _, s := range c.spans(day) {
			if from, to := later(s.from, a), earlier(s.to, b); from.Before(to) {
				sum += to.Sub(from)
			}
		}
	}
	return sum
}

func (d date) before(e date) bool { return d.utc().Before(e.utc()) }

// IsOpen reports whether t is business time (an interval's closing instant is not).
func (c Calendar) IsOpen(t time.Time) bool {
	t = sec(t)
	for _, s := range c.spans(dateOf(t, c.loc)) {
		if !t.Before(s.from) && t.Before(s.to) {
			return true
		}
	}
	return false
}

// KindOn returns the kind of exception on civil date day (midnight UTC), or "" for a
// regular day.
func (c Calendar) KindOn(day time.Time) Kind { return c.days[dateOf(day, time.UTC)] }
