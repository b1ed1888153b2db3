// Package depreciation is the pure rule of fixed-asset depreciation: one function,
// Depreciate, gives an asset's depreciation per calendar month up to any date, and
// every other figure is read from it — the full schedule (through the end of life),
// the amount a month posts, the depreciation to a disposal date, and the valuation at
// any date, past or future. Two pages can therefore never disagree (snipe-it#14869).
//
// Periods are calendar months. A month the asset is in service for only part of is
// prorated by days: its fraction is the days in service over the days of the month (a
// leap February has 29). Life runs from the in-service date for LifeMonths months
// (its end is the day before the same day LifeMonths later, clamped to the month's
// end).
//
// Methods:
//   - STRAIGHT_LINE: the depreciable amount (cost − salvage − opening accumulated)
//     spread over the remaining life in month fractions; each month's amount is the
//     rounded cumulative target less what came before, so rounding never drifts.
//   - DECLINING_BALANCE: each month book value × factor / life months × fraction
//     (factor FactorPct, 150 by default), never below salvage.
//   - DOUBLE_DECLINING: factor 2, switching to straight-line on the remaining book value
//     over the remaining life as soon as that is larger (and staying there).
//   - UNITS_OF_USE: the depreciable amount × units used in the month / total units;
//     months without recorded use depreciate nothing.
//
// Every schedule that reaches the end of life (or the total units) sums to
// cost − salvage exactly, to the fen: the period holding the end takes the rest.
// Amounts are int64 fen; products are rounded half away from zero.
//
// Opening assets (imported mid-life) carry the accumulated depreciation of the months
// before OpeningDate; their schedule starts at OpeningDate and spreads what is left
// over the life that is left (frappe/erpnext#34920 computed these wrongly).
//
// Disposal: depreciation runs to the disposal date, prorated by days in its month, and
// stops; it can never exceed the full month's amount (erpnext#31836 over-depreciated).
package depreciation

import (
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Method is how an asset depreciates.
type Method string

// The methods.
const (
	StraightLine     Method = "STRAIGHT_LINE"
	DecliningBalance Method = "DECLINING_BALANCE"
	DoubleDeclining  Method = "DOUBLE_DECLINING"
	UnitsOfUse       Method = "UNITS_OF_USE"
)

// Methods lists every method.
var Methods = []Method{StraightLine, DecliningBalance, DoubleDeclining, UnitsOfUse}

// Asset is what depreciation needs of an asset. Dates are civil days (only their
// year, month and day count).
type Asset struct {
	Cost       int64 // fen
	Salvage    int64 // fen, 0 ≤ Salvage ≤ Cost
	InService  time.Time
	LifeMonths int // 1…1200
	Method     Method
	FactorPct  int // DECLINING_BALANCE: the rate factor in percent (0: 150)

	// Opening assets: the register takes over on OpeningDate (zero: a new asset) with
	// OpeningAccumulated depreciated before it (and, for UNITS_OF_USE, OpeningUnits used).
	OpeningDate        time.Time
	OpeningAccumulated int64
	OpeningUnits       int64

	// UNITS_OF_USE: the units the asset gives over its life, and the units used per
	// month ("2026-01" → units).
	TotalUnits int64
	Usage      map[string]int64
}

// Period is one month's depreciation.
type Period struct {
	Key    string    // "2026-01"
	Start  time.Time // the first day depreciated in the month
	End    time.Time // the last day depreciated in the month
	Amount int64     // fen
}

// Errors of an asset's figures.
var (
	ErrInvalid = errors.New("depreciation: invalid asset")
)

// Day is t's civil day at UTC midnight.
func Day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// D is the day y-m-d.
func D(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// PeriodKey is the month of t, "2006-01".
func PeriodKey(t time.Time) string { return t.Format("2006-01") }

// MonthEnd is the last day of t's month.
func MonthEnd(t time.Time) time.Time { return D(t.Year(), t.Month()+1, 1).AddDate(0, 0, -1) }

func monthStart(t time.Time) time.Time { return D(t.Year(), t.Month(), 1) }

func daysIn(t time.Time) int { return MonthEnd(t).Day() }

// addMonths is t plus n months, the day clamped to the month's end (31 Jan + 1 = 28/29 Feb).
func addMonths(t time.Time, n int) time.Time {
	first := D(t.Year(), t.Month()+time.Month(n), 1)
	return D(first.Year(), first.Month(), min(t.Day(), daysIn(first)))
}

// EndOfLife is the last day of the asset's life.
func (a Asset) EndOfLife() time.Time {
	return addMonths(Day(a.InService), a.LifeMonths).AddDate(0, 0, -1)
}

// Depreciable is what the asset depreciates over its whole life: cost − salvage.
func (a Asset) Depreciable() int64 { return a.Cost - a.Salvage }

// Validate checks the asset's figures.
func (a Asset) Validate() error {
	switch {
	case a.Cost < 0 || a.Salvage < 0 || a.Salvage > a.Cost:
		return fmt.Errorf("%w: 0 ≤ salvage ≤ cost", ErrInvalid)
	case a.LifeMonths < 1 || a.LifeMonths > 1200:
		return fmt.Errorf("%w: a life of 1 to 1200 months", ErrInvalid)
	case a.InService.IsZero():
		return fmt.Errorf("%w: an in-service date", ErrInvalid)
	case a.OpeningAccumulated < 0 || a.OpeningAccumulated > a.Depreciable():
		return fmt.Errorf("%w: opening accumulated depreciation between 0 and cost − salvage", ErrInvalid)
	case a.OpeningAccumulated > 0 && a.OpeningDate.IsZero():
		return fmt.Errorf("%w: an opening date with opening accumulated depreciation", ErrInvalid)
	case !a.OpeningDate.IsZero() && Day(a.OpeningDate).Before(Day(a.InService)):
		return fmt.Errorf("%w: an opening date on or after the in-service date", ErrInvalid)
	case a.Method == UnitsOfUse && (a.TotalUnits <= 0 || a.OpeningUnits < 0 || a.OpeningUnits > a.TotalUnits):
		return fmt.Errorf("%w: units of use need total units above the opening units", ErrInvalid)
	case a.Method == DecliningBalance && (a.FactorPct < 0 || a.FactorPct > 1000):
		return fmt.Errorf("%w: a declining-balance factor of 1 to 1000 percent", ErrInvalid)
	}
	for _, m := range Methods {
		if m == a.Method {
			return nil
		}
	}
	return fmt.Errorf("%w: unknown method %q", ErrInvalid, a.Method)
}

// start is the first day the register depreciates: the opening date of an opening
// asset, else the in-service date.
func (a Asset) start() time.Time {
	if !a.OpeningDate.IsZero() {
		return Day(a.OpeningDate)
	}
	return Day(a.InService)
}

// slice is one month's part of the life, with its fraction of the month.
type slice struct {
	Period
	frac *big.Rat
	last bool // holds the end of life
}

// slices cuts [from, to] (days, inclusive) into calendar months.
func slices(from, to, end time.Time) []slice {
	var out []slice
	for s := from; !s.After(to); s = monthStart(s).AddDate(0, 1, 0) {
		e := MonthEnd(s)
		if e.After(to) {
			e = to
		}
		days := int64(e.Sub(s).Hours()/24) + 1
		out = append(out, slice{Period: Period{Key: PeriodKey(s), Start: s, End: e},
			frac: big.NewRat(days, int64(daysIn(s))), last: e.Equal(end)})
	}
	return out
}

// elapsed is the life in month fractions from the in-service date to the day before from.
func (a Asset) elapsed(from time.Time) *big.Rat {
	sum := new(big.Rat)
	if !from.After(Day(a.InService)) {
		return sum
	}
	for _, s := range slices(Day(a.InService), from.AddDate(0, 0, -1), time.Time{}) {
		sum.Add(sum, s.frac)
	}
	return sum
}

// Depreciate returns the asset's depreciation per month from its start through the day
// through (inclusive; a disposal date, a valuation date, or a far date for the whole
// schedule), stopping at the end of life. Months of zero depreciation are kept (a
// units-of-use month without use, a month already at salvage) so every month in
// service is listed.
func Depreciate(a Asset, through time.Time) ([]Period, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	end := a.EndOfLife()
	to := Day(through)
	if to.After(end) {
		to = end
	}
	start := a.start()
	if to.Before(start) {
		return nil, nil
	}
	ss := slices(start, to, end)
	switch a.Method {
	case StraightLine:
		return straightLine(a, ss), nil
	case UnitsOfUse:
		return unitsOfUse(a, ss), nil
	}
	return declining(a, ss), nil
}

// Schedule is the whole life's depreciation (Depreciate through the end of life).
func Schedule(a Asset) ([]Period, error) { return Depreciate(a, a.EndOfLife()) }

// Accumulated is the depreciation through the day through, the opening accumulated
// included.
func Accumulated(a Asset, through time.Time) (int64, error) {
	ps, err := Depreciate(a, through)
	if err != nil {
		return 0, err
	}
	return a.OpeningAccumulated + Sum(ps), nil
}

// Valuation is the book value at the end of the day at: cost − accumulated depreciation.
func Valuation(a Asset, at time.Time) (int64, error) {
	acc, err := Accumulated(a, at)
	return a.Cost - acc, err
}

// Sum adds the periods' amounts.
func Sum(ps []Period) int64 {
	var n int64
	for _, p := range ps {
		n += p.Amount
	}
	return n
}

// round rounds r to the nearest integer, halves away from zero.
func round(r *big.Rat) int64 {
	num, den := new(big.Int).Set(r.Num()), r.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if m.Mul(m, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q.Int64()
}

func ratInt(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }

// straightLine spreads what is left over the remaining life: the cumulative target
// after each month is left × (fractions so far / remaining life), capped at left;
// the month holding the end of life takes the rest.
func straightLine(a Asset, ss []slice) []Period {
	left := a.Depreciable() - a.OpeningAccumulated
	remaining := new(big.Rat).Sub(ratInt(int64(a.LifeMonths)), a.elapsed(a.start()))
	cum, done := new(big.Rat), int64(0)
	out := make([]Period, len(ss))
	for i, s := range ss {
		cum.Add(cum, s.frac)
		target := left
		if !s.last && remaining.Sign() > 0 && cum.Cmp(remaining) < 0 {
			target = round(new(big.Rat).Mul(ratInt(left), new(big.Rat).Quo(cum, remaining)))
		}
		out[i] = s.Period
		out[i].Amount, done = target-done, target
	}
	return out
}

// declining is DECLINING_BALANCE and DOUBLE_DECLINING (which switches to
// straight-line): each month's amount is rounded on the book value in whole fen.
func declining(a Asset, ss []slice) []Period {
	factor := big.NewRat(int64(a.FactorPct), 100)
	if a.FactorPct == 0 {
		factor = big.NewRat(3, 2)
	}
	if a.Method == DoubleDeclining {
		factor = big.NewRat(2, 1)
	}
	rate := new(big.Rat).Quo(factor, ratInt(int64(a.LifeMonths))) // per full month
	book := a.Cost - a.OpeningAccumulated
	remaining := new(big.Rat).Sub(ratInt(int64(a.LifeMonths)), a.elapsed(a.start()))
	switched := false
	out := make([]Period, len(ss))
	for i, s := range ss {
		left := book - a.Salvage
		amount := round(new(big.Rat).Mul(ratInt(book), new(big.Rat).Mul(rate, s.frac)))
		if a.Method == DoubleDeclining && remaining.Sign() > 0 {
			sl := round(new(big.Rat).Mul(ratInt(left), new(big.Rat).Quo(s.frac, minRat(remaining, s.frac))))
			if switched || sl >= amount {
				amount, switched = sl, true
			}
		}
		if s.last || amount > left {
			amount = left
		}
		remaining.Sub(remaining, s.frac)
		book -= amount
		out[i] = s.Period
		out[i].Amount = amount
	}
	return out
}

// minRat is the larger of r and floor (a remaining life never below this month's part).
func minRat(r, floor *big.Rat) *big.Rat {
	if r.Cmp(floor) < 0 {
		return floor
	}
	return r
}

// unitsOfUse depreciates by use: the cumulative target is left × (units so far /
// units left), capped at left.
func unitsOfUse(a Asset, ss []slice) []Period {
	left := a.Depreciable() - a.OpeningAccumulated
	unitsLeft := a.TotalUnits - a.OpeningUnits
	var used, done int64
	out := make([]Period, len(ss))
	for i, s := range ss {
		used += max(a.Usage[s.Key], 0)
		target := left
		if used < unitsLeft {
			target = round(new(big.Rat).Mul(ratInt(left), big.NewRat(used, unitsLeft)))
		}
		out[i] = s.Period
		out[i].Amount, done = target-done, target
	}
	return out
}
