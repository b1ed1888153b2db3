// Package latefee is the daily accrual of late fees (滞纳金) on an overdue bill (issue
// 13, "Late fees"): a job runs it every day per overdue bill from a stored watermark,
// posts at most one line per bill per run for the day range it returns, and stores
// the new watermark in the same transaction, so a rerun adds nothing. It is pure.
//
// # The rule
//
// The terms are the contract's schedule.LateFee: RatePerDay (a fraction of the unpaid
// principal per day), GraceDays and CapPercent.
//
//   - Days: only completed days accrue. A run on Today considers the days after the
//     watermark up to and including Today − 1, so a payment that lands today still
//     counts for today, and running again the same day (or three times) finds no new
//     day and adds nothing. A watermark gap of several days (the job did not run)
//     becomes one range.
//   - Principal: Principal says what is unpaid at the end of each day; a payment
//     counts from the day it lands (that day is charged on what is left after it). A
//     day's fee is RatePerDay × that day's principal.
//   - Grace (宽限期): while the grace days are not over (Today − 1 ≤ Due + GraceDays)
//     nothing accrues and the watermark stays. What is paid within the grace days is
//     not overdue at all. Once they are over, the grace days count (common Chinese
//     lease and credit practice: "超过宽限期的，自应付之日起计收滞纳金" — beyond the grace
//     period the fee runs from the due date): the fee runs from Due + 1, and each
//     grace day is charged on the smaller of that day's principal and what was still
//     unpaid at the end of the grace days. This package is the one late-fee rule;
//     schedule.LateFee holds only the lease's terms.
//   - Cap: the fees of a bill in total never exceed CapPercent % of its overdue
//     principal (what was unpaid at the end of the due date), rounded to the fen; zero
//     is no cap. Accrued is the gross total of the bill's accruals so far, waived ones
//     included: a waiver forgives fees, it does not make room for new ones.
//
// # Rounding
//
// An accrual's amount is the exact sum of its days' fees, rounded once to the fen,
// half away from zero, then capped.
//
// # Waivers
//
// A waiver (approved elsewhere) reverses chosen accruals exactly: Waive returns, per
// accrual, a line of minus its amount for the same days, and their total. The watermark
// does not move back: waived days are not accrued again.
package latefee

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// ErrInput: the input is malformed; the error names the field.
var ErrInput = errs.New(errs.KindUser, "LATE_FEE_INPUT", "the late fee input is malformed")

// Step says the bill's unpaid principal is Outstanding at the end of every day from
// From on (until the next step).
type Step struct {
	From        schedule.Date
	Outstanding decimal.Decimal
}

// Input is one bill's late fee state as of Today.
type Input struct {
	Due  schedule.Date
	Rule schedule.LateFee
	// Principal is the unpaid principal over time, steps in date order, the first on
	// or before Due: the bill's amount from its issue day, then a step on each day a
	// payment (or a reversal) lands. No steps: nothing is unpaid.
	Principal []Step
	// Watermark is the last day accrued (zero: none yet).
	Watermark schedule.Date
	// Accrued is the gross total of the bill's accruals so far (waivers not deducted).
	Accrued decimal.Decimal
	Today   schedule.Date
}

// Accrual is the fee of a run of days.
type Accrual struct {
	Period schedule.Period
	Amount decimal.Decimal
	Basis  string // the computation, for people
}

// Result is a run's outcome.
type Result struct {
	// Accrual is nil when nothing is due for the days considered.
	Accrual *Accrual
	// Watermark is the last day now accrued: Today − 1 once the grace days are over,
	// else unchanged.
	Watermark schedule.Date
}

var hundred = decimal.NewFromInt(100)

// Accrue returns the accrual for the days after in.Watermark through in.Today − 1
// (see the package comment) and the new watermark.
func Accrue(in Input) (Result, error) {
	if err := in.validate(); err != nil {
		return Result{}, err
	}
	last := in.Today.AddDays(-1)
	graceEnd := in.Due.AddDays(in.Rule.GraceDays)
	res := Result{Watermark: in.Watermark}
	if !last.After(graceEnd) {
		return res, nil
	}
	start := in.Due.AddDays(1)
	if !in.Watermark.IsZero() && !in.Watermark.Before(start) {
		start = in.Watermark.AddDays(1)
	}
	if start.After(last) {
		return res, nil
	}
	res.Watermark = last
	unpaidAfterGrace := in.principal(graceEnd)
	exact := decimal.Zero
	var basis []string
	runFrom, runBase := start, decimal.Zero
	flush := func(to schedule.Date) {
		if runBase.IsPositive() {
			basis = append(basis, fmt.Sprintf("%s × %s × %d d (%s)", in.Rule.RatePerDay, runBase.StringFixed(2),
				to.Sub(runFrom)+1, schedule.Period{Start: runFrom, End: to}))
		}
	}
	for d := start; !d.After(last); d = d.AddDays(1) {
		base := in.principal(d)
		if !d.After(graceEnd) {
			base = decimal.Min(base, unpaidAfterGrace)
		}
		if !d.Equal(start) && !base.Equal(runBase) {
			flush(d.AddDays(-1))
			runFrom = d
		}
		runBase = base
		exact = exact.Add(in.Rule.RatePerDay.Mul(base))
	}
	flush(last)
	amount := exact.Round(2)
	text := strings.Join(basis, " + ") + " = " + amount.StringFixed(2)
	if in.Rule.CapPercent.IsPositive() {
		limit := in.Rule.CapPercent.Mul(in.principal(in.Due)).Div(hundred).Round(2)
		room := decimal.Max(limit.Sub(in.Accrued), decimal.Zero)
		if amount.GreaterThan(room) {
			amount = room
			text += fmt.Sprintf(", capped at %s %% of %s = %s less %s accrued = %s", in.Rule.CapPercent,
				in.principal(in.Due).StringFixed(2), limit.StringFixed(2), in.Accrued.StringFixed(2), room.StringFixed(2))
		}
	}
	if amount.IsPositive() {
		res.Accrual = &Accrual{Period: schedule.Period{Start: start, End: last}, Amount: amount, Basis: text}
	}
	return res, nil
}

// principal is the unpaid principal at the end of day d.
func (in Input) principal(d schedule.Date) decimal.Decimal {
	out := decimal.Zero
	for _, s := range in.Principal {
		if s.From.After(d) {
			break
		}
		out = s.Outstanding
	}
	return out
}

func (in Input) validate() error {
	r := in.Rule
	switch {
	case in.Due.IsZero():
		return ErrInput.At("due").Msgf("the due date is needed")
	case in.Today.IsZero():
		return ErrInput.At("today").Msgf("today is needed")
	case r.RatePerDay.IsNegative():
		return ErrInput.At("rule", "ratePerDay").Msgf("the daily rate must not be negative")
	case r.GraceDays < 0:
		return ErrInput.At("rule", "graceDays").Msgf("grace days must not be negative")
	case r.CapPercent.IsNegative():
		return ErrInput.At("rule", "capPercent").Msgf("the cap must not be negative")
	case in.Accrued.IsNegative() || !fen(in.Accrued):
		return ErrInput.At("accrued").Msgf("the accrued total is not negative, to the fen")
	case !in.Watermark.IsZero() && !in.Watermark.Before(in.Today):
		return ErrInput.At("watermark").Msgf("the watermark %s is not before today %s", in.Watermark, in.Today)
	}
	for i, s := range in.Principal {
		path := []string{"principal", strconv.Itoa(i)}
		switch {
		case i == 0 && s.From.After(in.Due):
			return ErrInput.At(append(path, "from")...).Msgf("the principal is known from the due date or before")
		case s.From.IsZero() || i > 0 && !s.From.After(in.Principal[i-1].From):
			return ErrInput.At(append(path, "from")...).Msgf("steps are in date order, one a day")
		case s.Outstanding.IsNegative() || !fen(s.Outstanding):
			return ErrInput.At(append(path, "outstanding")...).Msgf("outstanding is not negative, to the fen")
		}
	}
	return nil
}

// Waiver is the exact reversal of chosen accruals.
type Waiver struct {
	Lines []Accrual       // per accrual: its days and minus its amount
	Total decimal.Decimal // Σ Lines' amounts (negative)
}

// Waive reverses the chosen accruals (each once; ranges may not overlap).
func Waive(chosen []Accrual) (Waiver, error) {
	if len(chosen) == 0 {
		return Waiver{}, ErrInput.At("accruals").Msgf("choose at least one accrual to waive")
	}
	var w Waiver
	for i, a := range chosen {
		path := []string{"accruals", strconv.Itoa(i)}
		if !a.Amount.IsPositive() || !fen(a.Amount) {
			return Waiver{}, ErrInput.At(append(path, "amount")...).Msgf("an accrual is positive, to the fen")
		}
		for _, b := range chosen[:i] {
			if !a.Period.Start.After(b.Period.End) && !b.Period.Start.After(a.Period.End) {
				return Waiver{}, ErrInput.At(append(path, "period")...).Msgf("%s overlaps %s", a.Period, b.Period)
			}
		}
		w.Lines = append(w.Lines, Accrual{Period: a.Period, Amount: a.Amount.Neg(), Basis: "waiver of " + a.Period.String()})
		w.Total = w.Total.Sub(a.Amount)
	}
	return w, nil
}

func fen(d decimal.Decimal) bool { return d.Equal(d.Round(2)) }
