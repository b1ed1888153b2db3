package schedule

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// calc is one contract prepared for computing: versions by number, the days the
// lease covers, and each version's escalation steps in date order.
type calc struct {
	versions []Version // ascending Number
	steps    map[int][]step
	anchor   Date   // contract years count from here: the earliest term start
	span     Period // first day to last day the lease can cover
}

// step is one escalation with its date resolved.
type step struct {
	on Date
	Escalation
}

func newCalc(c Contract) *calc {
	k := &calc{versions: append([]Version(nil), c.Versions...), steps: map[int][]step{}}
	sort.SliceStable(k.versions, func(i, j int) bool { return k.versions[i].Number < k.versions[j].Number })
	k.anchor, _ = c.firstStart()
	k.span = Period{k.anchor, k.lastEnd(c.TerminatedOn)}
	for _, v := range k.versions {
		k.steps[v.Number] = stepsOf(v.Terms)
	}
	return k
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
func (k *calc) governing(d Date) *Version {
	gov := &k.versions[0]
	for i := range k.versions {
		if !k.versions[i].EffectiveFrom.After(d) {
			gov = &k.versions[i]
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

// rentRate is the rent in force on d under v: the base amount with every step
// dated on or before d applied in date order, times the area for per-m² bases.
func (k *calc) rentRate(v *Version, d Date) rate {
	unit, n := v.Terms.Rent.Amount, 0
	for _, s := range k.steps[v.Number] {
		if s.on.After(d) {
			break
		}
		unit, n = s.apply(unit), n+1
	}
	r := rentOf(v.Terms, unit)
	if n > 0 {
		r.desc += fmt.Sprintf(" after %d escalation(s)", n)
	}
	return r
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
