package schedule

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// pseg is a run of covered days under percentage rent terms, alike in version,
// calendar month, contract year and PCT_RENT abatement.
type pseg struct {
	from, to Date
	v        *Version
	year     Period // the contract year
	pct      decimal.Decimal
}

func (s pseg) days() int { return Period{s.from, s.to}.Days() }

func (s pseg) extends(o pseg) bool {
	return s.to.AddDays(1).Equal(o.from) && s.v == o.v && s.year == o.year &&
		MonthOf(s.from) == MonthOf(o.from) && s.pct.Equal(o.pct)
}

// bill is the percentage rent period the segment belongs to: its month, cut at the
// contract year's bounds so that every provisional line falls in one year.
func (s pseg) bill() Period {
	m := MonthOf(s.from).Period()
	if m.Start.Before(s.year.Start) {
		m.Start = s.year.Start
	}
	if m.End.After(s.year.End) {
		m.End = s.year.End
	}
	return m
}

func (k *calc) psegs() []pseg {
	var out []pseg
	for d := k.span.Start; !d.After(k.span.End); d = d.AddDays(1) {
		v, ok := k.covering(d)
		if !ok || v.Terms.PercentRent == nil {
			continue
		}
		_, year := k.contractYear(d)
		s := pseg{d, d, v, year, abated(v.Terms, CodePctRent, d)}
		if n := len(out); n > 0 && out[n-1].extends(s) {
			out[n-1].to = d
			continue
		}
		out = append(out, s)
	}
	return out
}

// coveredDays is how many days of m the lease covers: a month's sales are spread
// evenly over them when versions or contract years split the month.
func (k *calc) coveredDays(m Month) int {
	if n, ok := k.covered[m]; ok {
		return n
	}
	n, p := 0, m.Period()
	for d := p.Start; !d.After(p.End); d = d.AddDays(1) {
		if _, ok := k.covering(d); ok {
			n++
		}
	}
	k.covered[m] = n
	return n
}

// excess is a segment's percentage rent above its threshold, before the max(0, ·)
// of its period: (Rate × its share of the month's sales − threshold) less abatement.
// The threshold is the base rent charged on those days (guaranteed minimum; natural
// breakpoint base rent / Rate, times Rate) or Rate × the yearly breakpoint × days /
// days of the contract year (artificial breakpoint; broken years prorated by days).
func (k *calc) excess(s pseg, monthSales decimal.Decimal) (decimal.Decimal, string) {
	pr, days := s.v.Terms.PercentRent, decimal.NewFromInt(int64(s.days()))
	covered := decimal.NewFromInt(int64(k.coveredDays(MonthOf(s.from))))
	gross := pr.Rate.Mul(monthSales).Mul(days).Div(covered)
	thresh, what := k.threshold(s, days)
	x := gross.Sub(thresh).Mul(hundred.Sub(s.pct)).Div(hundred)
	b := fmt.Sprintf("%s %s × sales %s × %s/%s days = %s less %s %s",
		Period{s.from, s.to}, pr.Rate, monthSales.StringFixed(2), days, covered,
		gross.StringFixed(4), what, thresh.StringFixed(4))
	if s.pct.IsPositive() {
		b += fmt.Sprintf(", %s%% abated", s.pct)
	}
	return x, b
}

func (k *calc) threshold(s pseg, days decimal.Decimal) (decimal.Decimal, string) {
	pr := s.v.Terms.PercentRent
	switch pr.Mode {
	case PctArtificialBreakpoint:
		yd := decimal.NewFromInt(int64(s.year.Days()))
		return pr.Rate.Mul(pr.Breakpoint).Mul(days).Div(yd),
			fmt.Sprintf("%s × breakpoint %s × %s/%s days =", pr.Rate, pr.Breakpoint, days, yd)
	case PctNaturalBreakpoint:
		rent := k.rentCharged(Period{s.from, s.to})
		return rent, fmt.Sprintf("%s × natural breakpoint %s (base rent / rate) =",
			pr.Rate, rent.Div(pr.Rate).StringFixed(2))
	default:
		return k.rentCharged(Period{s.from, s.to}), "guaranteed minimum (base rent charged)"
	}
}

// rentCharged is the exact (unrounded) rent net of abatements for the days of p.
func (k *calc) rentCharged(p Period) decimal.Decimal {
	if k.rentSegs == nil {
		k.rentSegs = k.segments(k.span, billPeriod, k.rentPrice)
	}
	i := sort.Search(len(k.rentSegs), func(i int) bool { return !k.rentSegs[i].to.Before(p.Start) })
	sum := decimal.Zero
	for ; i < len(k.rentSegs) && !k.rentSegs[i].from.After(p.End); i++ {
		if s, ok := k.rentSegs[i].clip(p); ok {
			sum = sum.Add(s.net())
		}
	}
	return sum
}

// pyear gathers one contract year's percentage rent: the provisional lines billed
// and whether every month of it had sales.
type pyear struct {
	period   Period
	segs     []pseg
	excess   decimal.Decimal
	billed   decimal.Decimal
	complete bool
}

// percentLines returns a provisional line per month with sales and a true-up per
// contract year whose months all have sales and whose last day is on or before through.
func (k *calc) percentLines(sales Sales, through Date) []Line {
	var out []Line
	var years []*pyear
	for _, g := range byBill(k.psegs()) {
		years = k.addToYear(years, g)
		y := years[len(years)-1]
		l, x, ok := k.provisional(g, sales, through)
		if !ok {
			y.complete = false
			continue
		}
		y.excess, y.billed = y.excess.Add(x), y.billed.Add(l.Amount)
		out = append(out, l)
	}
	for _, y := range years {
		if l, ok := k.trueUp(y, through); ok {
			out = append(out, l)
		}
	}
	return out
}

// byBill splits segments (in day order) into runs with the same bill period.
func byBill(segs []pseg) [][]pseg {
	var out [][]pseg
	for i := 0; i < len(segs); {
		j := i + 1
		for j < len(segs) && segs[j].bill() == segs[i].bill() {
			j++
		}
		out, i = append(out, segs[i:j]), j
	}
	return out
}

func (k *calc) addToYear(years []*pyear, segs []pseg) []*pyear {
	if n := len(years); n == 0 || years[n-1].period != segs[0].year {
		years = append(years, &pyear{period: segs[0].year, complete: true})
	}
	y := years[len(years)-1]
	y.segs = append(y.segs, segs...)
	return years
}

// provisional is one month's percentage rent: max(0, Σ excess) rounded, billed in
// arrears on the due day of the next month; none until the month's sales are known.
func (k *calc) provisional(segs []pseg, sales Sales, through Date) (Line, decimal.Decimal, bool) {
	bill := segs[0].bill()
	monthSales, ok := sales[MonthOf(bill.Start)]
	if !ok || bill.Start.After(through) {
		return Line{}, decimal.Zero, false
	}
	x, parts := decimal.Zero, make([]string, len(segs))
	for i, s := range segs {
		var sx decimal.Decimal
		sx, parts[i] = k.excess(s, monthSales)
		x = x.Add(sx)
	}
	amount := cents(decimal.Max(decimal.Zero, x))
	last := segs[len(segs)-1]
	return Line{
		Code: CodePctProvision, Version: last.v.Number, Period: Period{segs[0].from, last.to},
		BillPeriod: bill, DueDate: dueAfter(bill.End, last.v.Terms.Billing.DueDay),
		Amount: amount, Days: psegDays(segs),
		Basis: strings.Join(parts, "; ") + fmt.Sprintf(" → max(0, %s) = %s", x.StringFixed(4), amount.StringFixed(2)),
	}, x, true
}

// trueUp settles a contract year: max(0, the year's Σ excess) rounded, less the
// provisional amounts billed for it. Negative (a credit) when months under the
// threshold offset months above it.
func (k *calc) trueUp(y *pyear, through Date) (Line, bool) {
	end := y.period.End
	if k.span.End.Before(end) {
		end = k.span.End
	}
	if !y.complete || end.After(through) {
		return Line{}, false
	}
	annual := cents(decimal.Max(decimal.Zero, y.excess))
	last := y.segs[len(y.segs)-1]
	return Line{
		Code: CodePctTrueUp, Version: last.v.Number, Period: Period{y.segs[0].from, last.to},
		BillPeriod: y.period, DueDate: dueAfter(end, last.v.Terms.Billing.DueDay),
		Amount: annual.Sub(y.billed), Days: psegDays(y.segs),
		Basis: fmt.Sprintf("contract year %s: max(0, %s) = %s less provisional billed %s",
			y.period, y.excess.StringFixed(4), annual.StringFixed(2), y.billed.StringFixed(2)),
	}, true
}

func psegDays(segs []pseg) int {
	n := 0
	for _, s := range segs {
		n += s.days()
	}
	return n
}
