package energy

import (
	"time"

	"github.com/shopspring/decimal"
)

// durations returns how long [from, to) spends in each band of d on the wall clock of
// loc, indexed like the bands.
func (d *day) durations(from, to time.Time, loc *time.Location, bands int) []time.Duration {
	out := make([]time.Duration, bands)
	for cur := from; cur.Before(to); {
		l := cur.In(loc)
		m := l.Hour()*60 + l.Minute()
		b := d[m]
		end := m + 1
		for end < minutesPerDay && d[end] == b {
			end++
		}
		next := time.Date(l.Year(), l.Month(), l.Day(), end/60, end%60, 0, 0, loc)
		if !next.After(cur) { // a wall-clock hour repeated by daylight saving
			next = cur.Truncate(time.Minute).Add(time.Minute)
		}
		if next.After(to) {
			next = to
		}
		out[b] += next.Sub(cur)
		cur = next
	}
	return out
}

// split spreads each interval's growth between consecutive points over the bands in
// proportion to the time it spends in each (the documented assumption), exactly (to
// decimal.DivisionPrecision), and returns the sums per band. An interval of no time
// goes to the band of its instant.
func (d *day) split(pts []point, loc *time.Location, bands int) []decimal.Decimal {
	out := make([]decimal.Decimal, bands)
	for i := 1; i < len(pts); i++ {
		delta := pts[i].value.Sub(pts[i-1].value)
		if delta.IsZero() {
			continue
		}
		if !pts[i].at.After(pts[i-1].at) {
			l := pts[i].at.In(loc)
			b := d[l.Hour()*60+l.Minute()]
			out[b] = out[b].Add(delta)
			continue
		}
		durs := d.durations(pts[i-1].at, pts[i].at, loc, bands)
		var total time.Duration
		for _, x := range durs {
			total += x
		}
		for b, x := range durs {
			if x > 0 {
				out[b] = out[b].Add(delta.Mul(decimal.NewFromInt(int64(x))).Div(decimal.NewFromInt(int64(total))))
			}
		}
	}
	return out
}

// point is an instant and the adjusted counter then.
type point struct {
	at    time.Time
	value decimal.Decimal
}

var thousandth = decimal.New(1, -3)

// apportion rounds exact shares down to 3 decimals and gives the thousandths left
// over, so the result adds up to total, to the largest remainders (ties: the
// earlier share).
func apportion(shares []decimal.Decimal, total decimal.Decimal) []decimal.Decimal {
	out := make([]decimal.Decimal, len(shares))
	rem := make([]decimal.Decimal, len(shares))
	sum := decimal.Zero
	for i, s := range shares {
		out[i] = s.RoundFloor(3)
		rem[i] = s.Sub(out[i])
		sum = sum.Add(out[i])
	}
	left := total.Sub(sum).Div(thousandth).Round(0).IntPart()
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i].GreaterThan(rem[best]) {
				best = i
			}
		}
		out[best] = out[best].Add(thousandth)
		rem[best] = decimal.NewFromInt(-1)
	}
	return out
}
