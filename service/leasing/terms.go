package leasing

import (
	"errors"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/leasing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
)

// termsError maps schedule's validation errors to INVALID_TERMS at the first bad field's
// path under input.terms (the message counts the others).
func termsError(err error) error {
	var list schedule.Errors
	if !errors.As(err, &list) || len(list) == 0 {
		var one schedule.FieldError
		if !errors.As(err, &one) {
			return err
		}
		list = schedule.Errors{one}
	}
	fe := list[0]
	msg := fe.Code + ": " + fe.Message
	if len(list) > 1 {
		msg += " (and more)"
	}
	return ErrInvalidTerms.At(append([]string{"input", "terms"}, fieldPath(fe.Path)...)...).Msgf("%s", msg)
}

var index = regexp.MustCompile(`\[(\d+)\]`)

// fieldPath splits "escalations[0].value" into escalations, 0, value.
func fieldPath(p string) []string {
	return strings.Split(index.ReplaceAllString(p, ".$1"), ".")
}

// withUnits puts the let units (code and lettable area) into terms: the contract's
// units are the truth, never what a client sent.
func withUnits(t schedule.Terms, units []queries.LeasingUnit) schedule.Terms {
	t.Units = make([]schedule.Unit, len(units))
	for i, u := range units {
		t.Units[i] = schedule.Unit{Code: u.Code, Area: u.LettableArea}
	}
	return t
}

// AnnualRent is what approval limits compare: the base rent of the first twelve months
// of a version's term (before abatements: a rent-free month does not make a lease
// cheaper to approve), or of the whole term when it is shorter.
func AnnualRent(t schedule.Terms) (decimal.Decimal, error) {
	t.Abatements = nil
	if last := t.Start.AddYears(1).AddDays(-1); last.Before(t.End) {
		t.End = last
	}
	lines, err := schedule.Lines(schedule.Contract{Versions: []schedule.Version{{Number: 1, EffectiveFrom: t.Start, Terms: t}}}, nil, t.End)
	if err != nil {
		return decimal.Zero, err
	}
	sum := decimal.Zero
	for _, l := range lines {
		if l.Code == schedule.CodeRent {
			sum = sum.Add(l.Amount)
		}
	}
	return sum, nil
}
