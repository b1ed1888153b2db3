package schedule

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// depositLines shows the deposit (保证金) once: the lowest-numbered version's deposit
// on the first day of the lease, then a top-up on a later version's effective date
// when it raises the deposit above every earlier one. A lowered deposit is not a
// line: returning deposit money is the termination settlement's business. Deposit
// lines are due on their own date.
func (k *calc) depositLines(through Date) []Line {
	var out []Line
	held := decimal.Zero
	for i := range k.versions {
		v := &k.versions[i]
		on := v.EffectiveFrom
		if i == 0 || on.Before(k.span.Start) {
			on = k.span.Start
		}
		if !v.Terms.Deposit.GreaterThan(held) || on.After(k.span.End) || on.After(through) {
			continue
		}
		out = append(out, depositLine(v, on, held))
		held = v.Terms.Deposit
	}
	return out
}

func depositLine(v *Version, on Date, held decimal.Decimal) Line {
	amount := cents(v.Terms.Deposit.Sub(held))
	basis := fmt.Sprintf("deposit (保证金, held as a liability) %s", v.Terms.Deposit.StringFixed(2))
	if held.IsPositive() {
		basis = fmt.Sprintf("deposit raised by version %d from %s to %s: top-up %s",
			v.Number, held.StringFixed(2), v.Terms.Deposit.StringFixed(2), amount.StringFixed(2))
	}
	return Line{
		Code: CodeDeposit, Version: v.Number, Period: Period{on, on}, BillPeriod: billPeriod(v, on),
		DueDate: on, Amount: amount, Basis: basis,
	}
}
