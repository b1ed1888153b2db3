package schedule

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// Lines returns the charge schedule of c for every billing period that starts on or
// before through: RENT and MGMT_FEE per billing period (one line per version governing
// part of the period), DEPOSIT lines, PCT_RENT_PROVISIONAL for every month with sales,
// and PCT_RENT_TRUEUP for every contract year ended by through whose months all have
// sales. Lines are ordered by due date, then code, then period start. An
// invalid contract returns its Validate error and no lines.
func Lines(c Contract, sales Sales, through Date) ([]Line, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	k := newCalc(c)
	var out []Line
	out = append(out, k.chargeLines(CodeRent, through, k.rentPrice)...)
	out = append(out, k.chargeLines(CodeMgmtFee, through, k.feePrice)...)
	out = append(out, k.depositLines(through)...)
	out = append(out, k.percentLines(sales, through)...)
	sortLines(out)
	return out, nil
}

var codeOrder = map[Code]int{CodeDeposit: 0, CodeRent: 1, CodeMgmtFee: 2, CodePctProvision: 3, CodePctTrueUp: 4, CodeAdjustment: 5}

func sortLines(ls []Line) {
	sort.SliceStable(ls, func(i, j int) bool {
		a, b := ls[i], ls[j]
		if !a.DueDate.Equal(b.DueDate) {
			return a.DueDate.Before(b.DueDate)
		}
		if a.Code != b.Code {
			return codeOrder[a.Code] < codeOrder[b.Code]
		}
		return a.Period.Start.Before(b.Period.Start)
	})
}

// cents is the one rounding rule: half away from zero to 2 places, applied once per
// line to the exact sum of its parts.
func cents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// priceFn gives a charge's rate and abated percentage on a covered day.
type priceFn func(v *Version, d Date) (rate, decimal.Decimal)

func (k *calc) rentPrice(v *Version, d Date) (rate, decimal.Decimal) {
	return k.rentRate(v, d), abated(v.Terms, CodeRent, d)
}

func (k *calc) feePrice(v *Version, d Date) (rate, decimal.Decimal) {
	return k.fees[v.Number], abated(v.Terms, CodeMgmtFee, d)
}

// seg is a run of covered days priced alike: one version, bill period, month, rate
// and abatement.
type seg struct {
	from, to Date
	version  int
	bill     Period
	r        rate
	pct      decimal.Decimal
}

func (s seg) days() int { return Period{s.from, s.to}.Days() }

// gross is the segment's charge before abatement: per day × days, or (the rule for
// partial months) per month × days in the segment / days in that month.
func (s seg) gross() decimal.Decimal {
	n := decimal.NewFromInt(int64(s.days()))
	if s.r.perDay {
		return s.r.amount.Mul(n)
	}
	return s.r.amount.Mul(n).Div(decimal.NewFromInt(int64(daysInMonth(s.from))))
}

func (s seg) net() decimal.Decimal { return s.gross().Mul(hundred.Sub(s.pct)).Div(hundred) }

// clip is the part of s inside p (ok false when none): the charge is linear in days.
func (s seg) clip(p Period) (seg, bool) {
	if s.from.Before(p.Start) {
		s.from = p.Start
	}
	if s.to.After(p.End) {
		s.to = p.End
	}
	return s, !s.to.Before(s.from)
}

func (s seg) extends(o seg) bool {
	return s.to.AddDays(1).Equal(o.from) && s.version == o.version && s.bill == o.bill &&
		MonthOf(s.from) == MonthOf(o.from) && s.r.same(o.r) && s.pct.Equal(o.pct)
}

func (s seg) basis() string {
	b := fmt.Sprintf("%s %s × %d/%d days", Period{s.from, s.to}, s.r.desc, s.days(), daysInMonth(s.from))
	if s.r.perDay {
		b = fmt.Sprintf("%s %s × %d days", Period{s.from, s.to}, s.r.desc, s.days())
	}
	if s.pct.IsPositive() {
		b += fmt.Sprintf(" less %s%% abated", s.pct)
	}
	return b + " = " + s.net().StringFixed(4)
}

// segments prices every covered day of p and joins equal neighbours.
func (k *calc) segments(p Period, bill func(*Version, Date) Period, price priceFn) []seg {
	var out []seg
	for d := p.Start; !d.After(p.End); d = d.AddDays(1) {
		v, ok := k.covering(d)
		if !ok {
			continue
		}
		r, pct := price(v, d)
		s := seg{d, d, v.Number, bill(v, d), r, pct}
		if n := len(out); n > 0 && out[n-1].extends(s) {
			out[n-1].to = d
			continue
		}
		out = append(out, s)
	}
	return out
}

// billPeriod is the calendar month or quarter of d under v's billing frequency.
func billPeriod(v *Version, d Date) Period {
	if v.Terms.Billing.Frequency != Quarterly {
		return MonthOf(d).Period()
	}
	return quarterOf(d)
}

// quarterOf is the calendar quarter d falls in.
func quarterOf(d Date) Period {
	first := D(d.Year(), (d.Month()-1)/3*3+1, 1)
	return Period{first, D(first.Year(), first.Month()+3, 0)}
}

// chargeLines turns a recurring charge into one line per bill period and version. Only
// bill periods starting by through have lines, and such a period (a month or a calendar
// quarter) ends by the end of through's quarter: days after it are not priced at all.
func (k *calc) chargeLines(code Code, through Date, price priceFn) []Line {
	var out []Line
	priced := k.span
	if q := quarterOf(through).End; q.Before(priced.End) {
		priced.End = q
	}
	segs := k.segments(priced, billPeriod, price)
	for i := 0; i < len(segs); {
		j := i + 1
		for j < len(segs) && segs[j].version == segs[i].version && segs[j].bill == segs[i].bill {
			j++
		}
		if l, ok := k.chargeLine(code, segs[i:j]); ok && !l.BillPeriod.Start.After(through) {
			out = append(out, l)
		}
		i = j
	}
	return out
}

// chargeLine sums segments into a line; a charge that costs nothing before
// abatement (no fee agreed) has no line, a fully abated one shows 0.00.
func (k *calc) chargeLine(code Code, segs []seg) (Line, bool) {
	gross, net, days, parts := decimal.Zero, decimal.Zero, 0, make([]string, len(segs))
	for i, s := range segs {
		gross, net, days, parts[i] = gross.Add(s.gross()), net.Add(s.net()), days+s.days(), s.basis()
	}
	if !gross.IsPositive() {
		return Line{}, false
	}
	first, last := segs[0], segs[len(segs)-1]
	v := k.version(first.version)
	return Line{
		Code: code, Version: first.version, Period: Period{first.from, last.to}, BillPeriod: first.bill,
		DueDate: k.due(v.Terms.Billing, first.bill), Amount: cents(net), Days: days,
		Basis: strings.Join(parts, "; ") + " → " + cents(net).StringFixed(2),
	}, true
}

func (k *calc) version(n int) *Version {
	for i := range k.versions {
		if k.versions[i].Number == n {
			return &k.versions[i]
		}
	}
	return &k.versions[0]
}

// due is a bill's due date: in advance, the due day of the period's first month (not
// before the lease starts); in arrears, the due day of the month after the period.
func (k *calc) due(b Billing, bill Period) Date {
	if b.Timing == InArrears {
		return dueAfter(bill.End, b.DueDay)
	}
	if d := dueIn(bill.Start, b.DueDay); d.After(k.span.Start) {
		return d
	}
	return k.span.Start
}

// dueAfter is the due day of the calendar month after the one end falls in.
func dueAfter(end Date, day int) Date {
	return dueIn(MonthOf(end).Period().End.AddDays(1), day)
}

// dueIn is day of d's month, or the month's last day when the month is shorter.
func dueIn(d Date, day int) Date {
	return D(d.Year(), d.Month(), min(day, daysInMonth(d)))
}
