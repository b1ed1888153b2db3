package meters

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Point is one cumulative reading of a meter at an instant.
type Point struct {
	At    time.Time
	Value decimal.Decimal
}

// Replacement says the meter was replaced at At: the old meter ended at OldFinal (nil:
// its last reading) and the new one started at NewStart (usually zero).
type Replacement struct {
	At       time.Time
	OldFinal *decimal.Decimal
	NewStart decimal.Decimal
}

// Series is a meter's readings made monotonic: rollovers and replacements are folded
// into one ever-growing counter; readings that went backwards without either are left
// out and listed in Flagged.
type Series struct {
	Points []Point // adjusted, in time order
	// Origins[i] is where Points[i] came from: the raw reading, or a replacement.
	Origins []Origin
	Flagged []Point          // raw readings that went backwards
	Max     *decimal.Decimal // the counter's modulus, as given to Build
}

// Origin is what an adjusted point of a Series was made from.
type Origin struct {
	// Raw is what the meter showed: the reading's value, or the new meter's start at a
	// replacement.
	Raw decimal.Decimal
	// Replacement: the point is a replacement (no reading was taken then).
	Replacement bool
}

// Build makes the monotonic series from readings in any order (out-of-order arrival is
// fine: they are sorted by time). max is the counter's modulus (it shows 0 ≤ v < max
// and wraps to 0); nil means it never rolls over. A drop of more than half the range
// is a rollover; any other drop without a replacement in between is flagged.
// Replacements at or before the first reading are ignored (the series starts with the
// meter in place then).
func Build(readings []Point, reps []Replacement, max *decimal.Decimal) Series {
	rs := append([]Point(nil), readings...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].At.Before(rs[j].At) })
	var ps []Replacement
	for _, r := range reps {
		if len(rs) > 0 && r.At.After(rs[0].At) {
			ps = append(ps, r)
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].At.Before(ps[j].At) })
	s := Series{Max: max}
	var offset, last decimal.Decimal
	have := false
	for _, r := range rs {
		for len(ps) > 0 && !ps[0].At.After(r.At) {
			final := last
			if ps[0].OldFinal != nil {
				final = *ps[0].OldFinal
			}
			offset = offset.Add(final).Sub(ps[0].NewStart)
			last, have = ps[0].NewStart, true
			s.Points = append(s.Points, Point{At: ps[0].At, Value: offset.Add(last)})
			s.Origins = append(s.Origins, Origin{Raw: last, Replacement: true})
			ps = ps[1:]
		}
		if have && r.Value.LessThan(last) {
			if max == nil || last.Sub(r.Value).LessThanOrEqual(max.Div(decimal.NewFromInt(2))) {
				s.Flagged = append(s.Flagged, r)
				continue
			}
			offset = offset.Add(*max)
		}
		last, have = r.Value, true
		s.Points = append(s.Points, Point{At: r.At, Value: offset.Add(r.Value)})
		s.Origins = append(s.Origins, Origin{Raw: r.Value})
	}
	return s
}

// Usage is the consumption over a period.
type Usage struct {
	Amount decimal.Decimal
	// Partial: the period starts before the first or ends after the last reading (the
	// uncovered part counts as zero).
	Partial bool
	// Estimated: an end of the period fell between readings and was interpolated
	// linearly (so gaps between readings are spread evenly).
	Estimated bool
	// MaxGap is the longest interval between consecutive readings inside the period.
	MaxGap time.Duration
}

// Between returns the consumption from from to to (to after from).
func (s Series) Between(from, to time.Time) Usage {
	if len(s.Points) == 0 || !to.After(from) {
		return Usage{Partial: len(s.Points) == 0}
	}
	a, b := s.At(from, 0), s.At(to, 0)
	u := Usage{Amount: b.Adjusted.Sub(a.Adjusted), Partial: a.Kind.Partial() || b.Kind.Partial(),
		Estimated: a.Kind == Estimated || b.Kind == Estimated}
	for i := 1; i < len(s.Points); i++ {
		p, q := s.Points[i-1], s.Points[i]
		if q.At.After(from) && p.At.Before(to) {
			u.MaxGap = max(u.MaxGap, q.At.Sub(p.At))
		}
	}
	return u
}

// ValueKind says how a Value was obtained.
type ValueKind string

// The value kinds.
const (
	// Actual: a point of the series lies within the tolerance of the instant asked.
	Actual ValueKind = "ACTUAL"
	// Estimated: interpolated linearly between the points either side.
	Estimated ValueKind = "ESTIMATED"
	// BeforeFirst: the instant is before the first point (beyond the tolerance); the
	// first point stands in.
	BeforeFirst ValueKind = "BEFORE_FIRST"
	// AfterLast: the instant is after the last point (beyond the tolerance); the last
	// point stands in.
	AfterLast ValueKind = "AFTER_LAST"
	// NoPoints: the series is empty; the value is zero.
	NoPoints ValueKind = "NO_POINTS"
)

// Partial reports whether k means the series does not cover the instant.
func (k ValueKind) Partial() bool { return k == BeforeFirst || k == AfterLast || k == NoPoints }

// Value is the counter of a series at an instant.
type Value struct {
	Kind ValueKind
	// At is the instant of the value: the point's own instant when one was used (Actual,
	// BeforeFirst, AfterLast), the instant asked when Estimated.
	At time.Time
	// Adjusted is the counter on the monotonic series (what consumption subtracts).
	// Interpolated values are rounded to 3 decimals (the meters' precision).
	Adjusted decimal.Decimal
	// Raw is what the meter showed, or would have shown: for an estimate, the raw value
	// of the point before plus the growth since, wrapped at the counter's modulus.
	Raw decimal.Decimal
	// Readings are the raw readings the value was taken from, to link them: one
	// (Actual, BeforeFirst, AfterLast) or the two neighbours (Estimated); a replacement
	// is not a reading and is not listed.
	Readings []Point
}

// At returns the counter at t: the point nearest t if one lies within tol of it (the
// earlier one on a tie), else interpolated linearly between the points either side,
// else the nearest point standing in for a side the series does not cover.
func (s Series) At(t time.Time, tol time.Duration) Value {
	ps := s.Points
	if len(ps) == 0 {
		return Value{Kind: NoPoints, At: t}
	}
	i := sort.Search(len(ps), func(i int) bool { return !ps[i].At.Before(t) })
	near := -1
	if i > 0 && t.Sub(ps[i-1].At) <= tol {
		near = i - 1
	}
	if i < len(ps) && ps[i].At.Sub(t) <= tol && (near < 0 || ps[i].At.Sub(t) < t.Sub(ps[near].At)) {
		near = i
	}
	switch {
	case near >= 0:
		return s.point(Actual, near)
	case i == 0:
		return s.point(BeforeFirst, 0)
	case i == len(ps):
		return s.point(AfterLast, len(ps)-1)
	}
	p, q := ps[i-1], ps[i]
	frac := decimal.NewFromInt(int64(t.Sub(p.At))).Div(decimal.NewFromInt(int64(q.At.Sub(p.At))))
	v := p.Value.Add(q.Value.Sub(p.Value).Mul(frac)).Round(3)
	raw := s.Origins[i-1].Raw.Add(v.Sub(p.Value))
	if s.Max != nil && s.Max.IsPositive() {
		raw = raw.Mod(*s.Max)
	}
	out := Value{Kind: Estimated, At: t, Adjusted: v, Raw: raw}
	for _, j := range []int{i - 1, i} {
		if !s.Origins[j].Replacement {
			out.Readings = append(out.Readings, Point{At: ps[j].At, Value: s.Origins[j].Raw})
		}
	}
	return out
}

// point is the Value of the series' i-th point.
func (s Series) point(k ValueKind, i int) Value {
	p, o := s.Points[i], s.Origins[i]
	v := Value{Kind: k, At: p.At, Adjusted: p.Value, Raw: o.Raw}
	if !o.Replacement {
		v.Readings = []Point{{At: p.At, Value: o.Raw}}
	}
	return v
}
