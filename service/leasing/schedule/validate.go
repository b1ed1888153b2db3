package schedule

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// ErrInvalid matches (errors.Is) every validation error of this package.
var ErrInvalid = errors.New("schedule: invalid terms")

// The codes of field errors, stable for clients.
const (
	CodeRequired   = "REQUIRED"     // a value must be set
	CodeNegative   = "NEGATIVE"     // the value is below zero
	CodeOutOfRange = "OUT_OF_RANGE" // the value is outside its allowed range
	CodeOrder      = "ORDER"        // an end before its start
	CodeUnknown    = "UNKNOWN"      // not one of the enumerated values
	CodeDuplicate  = "DUPLICATE"    // the same key twice
	CodeConflict   = "CONFLICT"     // fields that exclude each other are both set
)

// MaxTermYears bounds one version's term: the PRC Civil Code (art. 705) caps a lease at
// twenty years; renewals are new versions.
const MaxTermYears = 20

// FieldError is one problem with one input field. Path is dotted from the value that
// was validated, e.g. "versions[1].terms.escalations[0].value".
type FieldError struct {
	Path    string
	Code    string
	Message string
}

func (e FieldError) Error() string { return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Path) }

// Is makes every FieldError match ErrInvalid.
func (e FieldError) Is(target error) bool { return target == ErrInvalid }

// Errors are all the problems found, in field order; it matches ErrInvalid.
type Errors []FieldError

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Is makes Errors match ErrInvalid.
func (es Errors) Is(target error) bool { return target == ErrInvalid }

// errs collects FieldErrors under a path prefix.
type errs struct {
	prefix string
	list   *Errors
}

func (c errs) add(path, code, msg string) {
	*c.list = append(*c.list, FieldError{Path: c.prefix + path, Code: code, Message: msg})
}

func (c errs) under(path string) errs { return errs{prefix: c.prefix + path + ".", list: c.list} }

func (c errs) err() error {
	if len(*c.list) == 0 {
		return nil
	}
	return *c.list
}

func (c errs) notNegative(path string, v decimal.Decimal) {
	if v.IsNegative() {
		c.add(path, CodeNegative, "must not be negative")
	}
}

func (c errs) period(from, to string, a, b Date) {
	if a.IsZero() {
		c.add(from, CodeRequired, "date required")
	}
	if b.IsZero() {
		c.add(to, CodeRequired, "date required")
	}
	if !a.IsZero() && !b.IsZero() && b.Before(a) {
		c.add(to, CodeOrder, fmt.Sprintf("%s is before %s", b, a))
	}
}

// Validate checks a contract: at least one version, distinct version numbers ≥ 1,
// an effective date on every version, valid terms in every version, and a termination date (if any) not before the
// earliest start. It returns Errors (matching ErrInvalid) or nil.
func (c Contract) Validate() error {
	e := errs{list: &Errors{}}
	if len(c.Versions) == 0 {
		e.add("versions", CodeRequired, "a contract has at least one version")
	}
	seen := map[int]bool{}
	for i, v := range c.Versions {
		p := fmt.Sprintf("versions[%d]", i)
		if v.Number < 1 {
			e.add(p+".number", CodeOutOfRange, "version numbers start at 1")
		} else if seen[v.Number] {
			e.add(p+".number", CodeDuplicate, fmt.Sprintf("version %d twice", v.Number))
		}
		seen[v.Number] = true
		if v.EffectiveFrom.IsZero() {
			e.add(p+".effectiveFrom", CodeRequired, "the date the version takes effect")
		}
		v.Terms.check(e.under(p + ".terms"))
	}
	if first, ok := c.firstStart(); ok && !c.TerminatedOn.IsZero() && c.TerminatedOn.Before(first) {
		e.add("terminatedOn", CodeOrder, "termination before the term starts")
	}
	return e.err()
}

// Validate checks one version's terms; paths are relative to the terms.
func (t Terms) Validate() error {
	e := errs{list: &Errors{}}
	t.check(e)
	return e.err()
}

func (t Terms) check(e errs) {
	e.period("start", "end", t.Start, t.End)
	if !t.Start.IsZero() && !t.End.IsZero() && !t.End.Before(t.Start.AddYears(MaxTermYears)) {
		e.add("end", CodeOutOfRange, fmt.Sprintf("a term is at most %d years", MaxTermYears))
	}
	checkUnits(e, t.Units)
	checkRent(e.under("rent"), t.Rent)
	for i, s := range t.Escalations {
		s.check(e.under(fmt.Sprintf("escalations[%d]", i)))
	}
	for i, a := range t.Abatements {
		a.check(e.under(fmt.Sprintf("abatements[%d]", i)))
	}
	e.notNegative("managementFee", t.ManagementFee)
	if t.PercentRent != nil {
		t.PercentRent.check(e.under("percentRent"))
	}
	e.notNegative("deposit", t.Deposit)
	t.Billing.check(e.under("billing"))
	t.LateFee.check(e.under("lateFee"))
}

func checkUnits(e errs, units []Unit) {
	if len(units) == 0 {
		e.add("units", CodeRequired, "at least one unit")
	}
	seen := map[string]bool{}
	for i, u := range units {
		p := fmt.Sprintf("units[%d]", i)
		if u.Code == "" {
			e.add(p+".code", CodeRequired, "unit code required")
		} else if seen[u.Code] {
			e.add(p+".code", CodeDuplicate, "unit "+u.Code+" twice")
		}
		seen[u.Code] = true
		if !u.Area.IsPositive() {
			e.add(p+".area", CodeOutOfRange, "lettable area must be above zero")
		}
	}
}

func checkRent(e errs, r Rent) {
	switch r.Basis {
	case RentFixedMonthly, RentPerM2Monthly, RentPerM2Daily:
	default:
		e.add("basis", CodeUnknown, fmt.Sprintf("rent basis %q", r.Basis))
	}
	e.notNegative("amount", r.Amount)
}

func (s Escalation) check(e errs) {
	if s.Kind != StepPercent && s.Kind != StepAmount {
		e.add("kind", CodeUnknown, fmt.Sprintf("escalation kind %q", s.Kind))
	}
	e.notNegative("value", s.Value)
	switch {
	case s.On.IsZero() && s.Anniversary == 0:
		e.add("on", CodeRequired, "a date or an anniversary")
	case !s.On.IsZero() && s.Anniversary != 0:
		e.add("anniversary", CodeConflict, "a date or an anniversary, not both")
	case s.Anniversary < 0 || s.Anniversary > MaxTermYears:
		e.add("anniversary", CodeOutOfRange, fmt.Sprintf("anniversary 1 to %d", MaxTermYears))
	}
}

var hundred = decimal.NewFromInt(100)

func (a Abatement) check(e errs) {
	switch a.Kind {
	case AbateRentFree, AbateFitOut, AbateDiscount:
	default:
		e.add("kind", CodeUnknown, fmt.Sprintf("abatement kind %q", a.Kind))
	}
	switch a.Charge {
	case CodeRent, CodeMgmtFee, CodePctRent:
	default:
		e.add("charge", CodeUnknown, fmt.Sprintf("charge %q cannot be abated", a.Charge))
	}
	e.period("from", "to", a.From, a.To)
	if !a.Percent.IsPositive() || a.Percent.GreaterThan(hundred) {
		e.add("percent", CodeOutOfRange, "above 0 and at most 100")
	}
}

func (p PercentRent) check(e errs) {
	if !p.Rate.IsPositive() || p.Rate.GreaterThan(decimal.NewFromInt(1)) {
		e.add("rate", CodeOutOfRange, "a fraction above 0 and at most 1")
	}
	switch p.Mode {
	case PctGuaranteedMinimum, PctNaturalBreakpoint:
		if !p.Breakpoint.IsZero() {
			e.add("breakpoint", CodeConflict, "only an artificial breakpoint is given")
		}
	case PctArtificialBreakpoint:
		e.notNegative("breakpoint", p.Breakpoint)
	default:
		e.add("mode", CodeUnknown, fmt.Sprintf("percentage rent mode %q", p.Mode))
	}
}

func (b Billing) check(e errs) {
	if b.Frequency != Monthly && b.Frequency != Quarterly {
		e.add("frequency", CodeUnknown, fmt.Sprintf("frequency %q", b.Frequency))
	}
	if b.Timing != InAdvance && b.Timing != InArrears {
		e.add("timing", CodeUnknown, fmt.Sprintf("timing %q", b.Timing))
	}
	if b.DueDay < 1 || b.DueDay > 31 {
		e.add("dueDay", CodeOutOfRange, "a day of the month, 1 to 31")
	}
}

func (l LateFee) check(e errs) {
	e.notNegative("ratePerDay", l.RatePerDay)
	if l.GraceDays < 0 {
		e.add("graceDays", CodeNegative, "must not be negative")
	}
	e.notNegative("capPercent", l.CapPercent)
}

// firstStart is the earliest term start of all versions.
func (c Contract) firstStart() (Date, bool) {
	var first Date
	for _, v := range c.Versions {
		if s := v.Terms.Start; !s.IsZero() && (first.IsZero() || s.Before(first)) {
			first = s
		}
	}
	return first, !first.IsZero()
}
