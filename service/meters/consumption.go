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
	Points  []Point // adjusted, in time order
	Flagged []Point // raw readings that went backwards
}

// Build makes the monotonic series from readings in any order (out-of-order arrival is
// fine: they are sorted by time). max is the counter's modulus (it shows 0 ≤ v < max
// and wraps to 0); nil means it never rolls over. A drop of more than half the range
// is a rollover; any other drop without a replacement in between is flagged.
func Build(readings []Point, reps []Replacement, max *decimal.Decimal) Series {
	rs := append([]Point(nil), readings...)
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].At.Before(rs[j].At) })
	ps := append([]Replacement(nil), reps...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].At.Before(ps[j].At) })
	var s Series
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
	a, pa, ea := s.valueAt(from)
	b, pb, eb := s.valueAt(to)
	u := Usage{Amount: b.Sub(a), Partial: pa || pb, Estimated: ea || eb}
	for i := 1; i < len(s.Points); i++ {
		p, q := s.Points[i-1], s.Points[i]
		if q.At.After(from) && p.At.Before(to) {
			u.MaxGap = max(u.MaxGap, q.At.Sub(p.At))
		}
	}
	return u
}

// valueAt is the adjusted counter at t: clamped outside the readings (partial),
// linearly interpolated between them (estimated).
func (s Series) valueAt(t time.Time) (v decimal.Decimal, partial, estimated bool) {
	ps := s.Points
	i := sort.Search(len(ps), func(i int) bool { return !ps[i].At.Before(t) })
	switch {
	case i == 0:
		return ps[0].Value, t.Before(ps[0].At), false
	case i == len(ps):
		return ps[len(ps)-1].Value, true, false
	case ps[i].At.Equal(t):
		return ps[i].Value, false, false
	}
	p, q := ps[i-1], ps[i]
	frac := decimal.NewFromInt(int64(t.Sub(p.At))).Div(decimal.NewFromInt(int64(q.At.Sub(p.At))))
	return p.Value.Add(q.Value.Sub(p.Value).Mul(frac)).Round(3), false, true
}
