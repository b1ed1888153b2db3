package schedule

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// calc is one contract prepared for computing: versions by number, the days the
// lease covers, each version's rents from each escalation step on, and caches.
type calc struct {
	versions []Version       // ascending Number
	rents    map[int][]dated // per version: the rent from each step on, in date order
	fees     map[int]rate
	anchor   Date   // contract years count from here: the earliest term start
	span     Period // first day to last day the lease can cover
	covered  map[Month]int
	rentSegs []seg // RENT over the whole span, computed once for thresholds
}

// dated is a rate in force from a date.
type dated struct {
	from Date
	r    rate
}

// step is one escalation with its date resolved.
type step struct {
	on Date
	Escalation
}

func newCalc(c Contract) *calc {
	k := &calc{versions: append([]Version(nil), c.Versions...), rents: map[int][]dated{}, fees: map[int]rate{},
		covered: map[Month]int{}}
	sort.SliceStable(k.versions, func(i, j int) bool { return k.versions[i].Number < k.versions[j].Number })
	k.anchor, _ = c.firstStart()
	k.span = Period{k.anchor, k.lastEnd(c.TerminatedOn)}
	for i := range k.versions {
		v := &k.versions[i]
		k.rents[v.Number], k.fees[v.Number] = rentsOf(v.Terms), feeRate(v)
	}
	k.shrink()
	return k
}

// shrink narrows the span to the first and last days actually covered (a version
// can shorten the term another version set).
func (k *calc) shrink() {
	for !k.span.End.Before(k.span.Start) {
		if _, ok := k.covering(k.span.End); ok {
			break
		}
		k.span.End = k.span.End.AddDays(-1)
	}
	for !k.span.End.Before(k.span.Start) {
		if _, ok := k.covering(k.span.Start); ok {
			break
		}
		k.span.Start = k.span.Start.AddDays(1)
	}
}

// lastEnd is the latest term end of any version, cut at the termination date.
func (k *calc) lastEnd(terminated Date) Date {
	last := k.anchor
	for _, v := range k.versions {
		if v.Terms.End.After(last) {
			last = v.Terms.End
		}
	}
	if !terminated.IsZero() && terminated.Before(last) {
		return terminated
	}
	return last
}

func stepsOf(t Terms) []step {
	out := make([]step, len(t.Escalations))
	for i, e := range t.Escalations {
		on := e.On
		if on.IsZero() {
			on = t.Start.AddYears(e.Anniversary)
		}
		out[i] = step{on, e}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].on.Before(out[j].on) })
	return out
}

// governing is the version in force on d: the highest-numbered version effective on
// or before d, or the lowest-numbered version before any is effective.
func (k *calc) governing(d Date) *Version { return Governing(k.versions, d) }

// Governing is the version of versions (in number order, at least one) in force on d:
// the highest-numbered version effective on or before d, or the lowest-numbered
// version before any is effective.
func Governing(versions []Version, d Date) *Version {
	gov := &versions[0]
	for i := range versions {
		if !versions[i].EffectiveFrom.After(d) {
			gov = &versions[i]
		}
	}
	return gov
}

// covering is the governing version of d when the lease charges for d: d inside that
// version's term and within the span (so not after an early termination).
func (k *calc) covering(d Date) (*Version, bool) {
	if !k.span.Contains(d) {
		return nil, false
	}
	v := k.governing(d)
	return v, (Period{v.Terms.Start, v.Terms.End}).Contains(d)
}

// contractYear returns the contract year d falls in: its index (0 is the first) and
// its days, Start + n years through the day before Start + n+1 years.
func (k *calc) contractYear(d Date) (int, Period) {
	n := d.Year() - k.anchor.Year()
	for n > 0 && k.anchor.AddYears(n).After(d) {
		n--
	}
	for !k.anchor.AddYears(n + 1).After(d) {
		n++
	}
	return n, Period{k.anchor.AddYears(n), k.anchor.AddYears(n + 1).AddDays(-1)}
}

// rate is a charge's price on one day: an amount per month (prorated by days of the
// month) or per day, with a description of where it comes from.
type rate struct {
	amount decimal.Decimal
	perDay bool
	desc   string
}

func (r rate) same(o rate) bool { return r.perDay == o.perDay && r.amount.Equal(o.amount) }

// area is the total lettable area of the terms' units.
func area(t Terms) decimal.Decimal {
	sum := decimal.Zero
	for _, u := range t.Units {
		sum = sum.Add(u.Area)
	}
	return sum
}

// rentsOf lists the rent in force from each escalation step on: the base amount,
// then every step applied in date order to the rent before it, times the area for
// per-m² bases. Rates are never rounded.
func rentsOf(t Terms) []dated {
	unit := t.Rent.Amount
	out := []dated{{Date{}, rentOf(t, unit)}}
	for i, s := range stepsOf(t) {
		unit = s.apply(unit)
		r := rentOf(t, unit)
		r.desc += fmt.Sprintf(" after %d escalation(s)", i+1)
		out = append(out, dated{s.on, r})
	}
	return out
}

// rentRate is the rent in force on d under v: the last step dated on or before d.
func (k *calc) rentRate(v *Version, d Date) rate {
	rs := k.rents[v.Number]
	i := sort.Search(len(rs), func(i int) bool { return rs[i].from.After(d) })
	return rs[max(i-1, 0)].r
}

func (s step) apply(unit decimal.Decimal) decimal.Decimal {
	if s.Kind == StepPercent {
		return unit.Mul(hundred.Add(s.Value)).Div(hundred)
	}
	return unit.Add(s.Value)
}

func rentOf(t Terms, unit decimal.Decimal) rate {
	a := area(t)
	switch t.Rent.Basis {
	case RentPerM2Monthly:
		return rate{unit.Mul(a), false, fmt.Sprintf("rent %s m² × %s/m²/month", a, unit)}
	case RentPerM2Daily:
		return rate{unit.Mul(a), true, fmt.Sprintf("rent %s m² × %s/m²/day", a, unit)}
	default:
		return rate{unit, false, fmt.Sprintf("rent %s/month", unit)}
	}
}

// feeRate is the management fee in force under v: per m² per month times the area.
func feeRate(v *Version) rate {
	a, fee := area(v.Terms), v.Terms.ManagementFee
	return rate{fee.Mul(a), false, fmt.Sprintf("management fee %s m² × %s/m²/month", a, fee)}
}

// abated is the percentage of charge waived on d under t: the largest abatement of
// that charge covering d, at most 100.
func abated(t Terms, charge Code, d Date) decimal.Decimal {
	pct := decimal.Zero
	for _, a := range t.Abatements {
		if a.Charge == charge && (Period{a.From, a.To}).Contains(d) && a.Percent.GreaterThan(pct) {
			pct = a.Percent
		}
	}
	return decimal.Min(pct, hundred)
}
